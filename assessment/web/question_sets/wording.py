"""The editor's words for what a question set holds, in the current language.

The format's names (``mitigations``, ``single_choice``, ``quick_win``) are identifiers in the
files and in the audit log, so they stay as they are; whatever shows one to a person asks
here. The labels are lazy (forms are classes, built before any request chose a language) and
use the messages of ``report/wording.py`` where the words are the same. The sentences about
a catalogue entry are whole for each kind of entry: a translation may need the noun's gender
or case in the words around it ("Nieuwe maatregel", but "Nieuw dreigingsscenario").
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from assessment.i18n import format_locale
from assessment.questionset import QUESTION_TYPES
from assessment.services.set_translations import SECTION_GROUP

TYPE_LABELS = {
    "single_choice": _l("Single choice"),
    "maturity": _l("Maturity level"),
    "multiple_choice": _l("Checklist"),
    "number": _l("Number"),
    "text": _l("Free text"),
}
SEVERITY_LABELS = {
    "critical": _l("Critical"),
    "high": _l("High"),
    "medium": _l("Medium"),
    "low": _l("Low"),
}
# A context of their own, as in report/wording.py: effort and severity agree differently.
EFFORT_LABELS = {
    "low": lazy_pgettext("effort", "Low"),
    "medium": lazy_pgettext("effort", "Medium"),
    "high": lazy_pgettext("effort", "High"),
}
HORIZON_LABELS = {
    "quick_win": _l("Quick win"),
    "90_days": _l("Within 90 days"),
    "12_months": _l("Within 12 months"),
}


def type_label(type_name: str) -> str:
    """A question type's name (a type added without words here shows its English one)."""
    return str(TYPE_LABELS.get(type_name) or QUESTION_TYPES[type_name].type_label)


def either(items) -> str:
    """The choices a condition accepts as the current language lists them: "a, b or c"."""
    return format_list([str(item) for item in items], style="or", locale=format_locale())


def editor_row_words() -> dict[str, str]:
    """The words of ``static/editor-rows.js``, with their placeholders left for the script to
    fill (gettext with no values formats nothing)."""
    return {
        "row": _("%(label)s, row %(row)s"),
        "up": _("Move up"),
        "down": _("Move down"),
        "insert": _("Insert above"),
        "order": _("Order"),
        "hint": _(
            "Move up and Move down change a row's place; Insert above adds an empty row "
            "there. Empty rows are left out when the question is saved."
        ),
        "moved": _("%(what)s moved to position %(position)s of %(count)s."),
        "inserted": _("Empty row inserted at position %(position)s."),
        "quoted": _("“%(text)s”"),
        "empty": _("empty row"),
    }


def new_question_heading(type_name: str, section_id: str) -> str:
    """The heading of a new question's form: whole for each type, as for the entries."""
    headings = {
        "single_choice": _("New single choice question in '%(section)s'", section=section_id),
        "maturity": _("New maturity level question in '%(section)s'", section=section_id),
        "multiple_choice": _("New checklist question in '%(section)s'", section=section_id),
        "number": _("New number question in '%(section)s'", section=section_id),
        "text": _("New free text question in '%(section)s'", section=section_id),
    }
    return headings.get(type_name) or _("New question in '%(section)s'", section=section_id)


@dataclass(frozen=True)
class CatalogueWords:
    """The overview's words for one catalogue of the set."""

    heading: str  # "Mitigations (12)"
    caption: str  # the table's name: "Mitigations"
    add: str  # "Add a mitigation"


def catalogue_words(data: dict) -> dict[str, CatalogueWords]:
    """Each catalogue's words on the overview, with its number of entries in ``data``."""

    def count(kind: str) -> int:
        return len(data.get(kind) or [])

    return {
        "mitigations": CatalogueWords(
            _("Mitigations (%(count)s)", count=count("mitigations")),
            _("Mitigations"),
            _("Add a mitigation"),
        ),
        "threats": CatalogueWords(
            _("Threat scenarios (%(count)s)", count=count("threats")),
            _("Threat scenarios"),
            _("Add a threat scenario"),
        ),
        "references": CatalogueWords(
            _("References (%(count)s)", count=count("references")),
            _("References"),
            _("Add a reference"),
        ),
        "frameworks": CatalogueWords(
            _("Frameworks (%(count)s)", count=count("frameworks")),
            _("Frameworks"),
            _("Add a framework"),
        ),
    }


def entry_heading(kind: str, entry_id: str | None) -> str:
    """The heading of an entry's form: "New mitigation", or "Mitigation 'm-mfa'"."""
    if entry_id is None:
        return {
            "mitigations": _("New mitigation"),
            "threats": _("New threat scenario"),
            "references": _("New reference"),
            "frameworks": _("New framework"),
        }[kind]
    return {
        "mitigations": _("Mitigation '%(id)s'", id=entry_id),
        "threats": _("Threat scenario '%(id)s'", id=entry_id),
        "references": _("Reference '%(id)s'", id=entry_id),
        "frameworks": _("Framework '%(id)s'", id=entry_id),
    }[kind]


def entry_saved(kind: str, entry_id: str) -> str:
    return {
        "mitigations": _("Saved: mitigation '%(id)s'.", id=entry_id),
        "threats": _("Saved: threat scenario '%(id)s'.", id=entry_id),
        "references": _("Saved: reference '%(id)s'.", id=entry_id),
        "frameworks": _("Saved: framework '%(id)s'.", id=entry_id),
    }[kind]


def entry_deleted(kind: str, entry_id: str) -> str:
    return {
        "mitigations": _("Saved: mitigation '%(id)s' deleted.", id=entry_id),
        "threats": _("Saved: threat scenario '%(id)s' deleted.", id=entry_id),
        "references": _("Saved: reference '%(id)s' deleted.", id=entry_id),
        "frameworks": _("Saved: framework '%(id)s' deleted.", id=entry_id),
    }[kind]


def entry_delete_question(kind: str, entry_id: str) -> str:
    """The title of the page that asks to confirm a deletion."""
    return {
        "mitigations": _("Delete mitigation '%(id)s'?", id=entry_id),
        "threats": _("Delete threat scenario '%(id)s'?", id=entry_id),
        "references": _("Delete reference '%(id)s'?", id=entry_id),
        "frameworks": _("Delete framework '%(id)s'?", id=entry_id),
    }[kind]


# Where a translatable text sits, as the translation page names it ("Question q1 › Choice
# yes › Label"): the format's parts in the current language, the ids as they are.
PART_WORDS = {
    "set": _l("Question set"),
    "sections": _l("Section"),
    "questions": _l("Question"),
    "scales": _l("Scale"),
    "mitigations": _l("Mitigation"),
    "threats": _l("Threat"),
    "frameworks": _l("Framework"),
    "references": _l("Reference"),
    "choices": _l("Choice"),
    "levels": _l("Level"),
    "incidents": _l("Incident"),
    "weakness": _l("Weakness"),
    "title": _l("Title"),
    "description": _l("Description"),
    "text": _l("Text"),
    "help": _l("Help"),
    "label": _l("Label"),
    "why": _l("Why"),
    "how": _l("How"),
    "unit": _l("Unit"),
}
NUMBERED = {"levels", "incidents"}  # by position in the file: shown from 1
# Parts followed by an id (then by what of it): "questions/q1/text".
ID_FOLLOWS = {
    "sections",
    "questions",
    "scales",
    "mitigations",
    "threats",
    "frameworks",
    "references",
    "choices",
    "levels",
    "incidents",
}


def text_label(key_name: str) -> str:
    """A translatable text's place (``set_translations.key_name``) in the page's words."""
    parts = key_name.split("/")
    named = []
    while parts:
        part = parts.pop(0)
        word = str(PART_WORDS.get(part, part))
        if part in ID_FOLLOWS and len(parts) >= 2:
            ident = parts.pop(0)
            word += f" {int(ident) + 1}" if part in NUMBERED and ident.isdigit() else f" {ident}"
            if part == "scales" and len(parts) >= 2:  # a scale's choice: "Scale ypn › Choice yes"
                named.append(word)
                word = f"{PART_WORDS['choices']} {parts.pop(0)}"
        named.append(word)
    return " › ".join(named)


GROUP_WORDS = {
    "set": _l("Question set"),
    "scales": _l("Answer scales"),
    "mitigations": _l("Mitigations"),
    "threats": _l("Threat scenarios"),
    "frameworks": _l("Frameworks"),
    "references": _l("References"),
}


def group_labeller(editing):
    """How the translation page names one of its pages: a section by its title (in the
    set's own language, from the page's rows), the others in the page's words."""
    texts = {row.key: row.base for row in editing.rows}

    def label(group: str) -> str:
        if group.startswith(SECTION_GROUP):
            section = group.removeprefix(SECTION_GROUP)
            return texts.get(f"sections/{section}/title", section)
        return str(GROUP_WORDS.get(group, group))

    return label
