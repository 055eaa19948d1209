"""What changed between two versions of a question set, as the officer who answered sees it.

A question "changed" when something the officer read or chose from, or how the chosen answer
scores, is different: its type, text, help, whether it is scored, its choices (added, removed,
or a kept choice's label, description, score or don't know / not applicable flag), the
question's own don't know / not applicable offers, its maturity levels, or a number question's
unit, direction, accepted range, bands and score beyond the last band. An answer carried over
to a changed question is marked "to re-check". Edits that do not change what was answered (the
weakness, mitigations, threats, references, weight, conditions, evidence expectation, the order
of choices, a scale's name, spaces and line breaks inside a text) are not changes. The rule is
documented in questionnaires/README.md ("When a new version changes a question").

The publish page of the editor and the version move of an assessment use the same functions.
Their words are data for the page to say in its language (``web/common/phrases.say``): what
changed is a Phrase (base.py), a gettext template with parameters; a value is the set's own
text, a Phrase of ours, or a yes/no flag as a bool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Number, Phrase, one_after_another
from .document import QuestionSet
from .types import Question

# A value before or after: the set's own text (a plain str, shown as it is), our words (a
# Phrase), a yes/no flag as data (a bool, worded by the page), or None: absent.
Value = str | bool | None


@dataclass(frozen=True)
class Difference:
    """One thing that changed: what it is (a Phrase), and its value before and after."""

    what: Phrase
    before: Value
    after: Value

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class QuestionChange:
    question_id: str
    section: str  # the section's title in the new version
    text: str  # the question's text in the new version
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class SetChanges:
    """Questions changed, added and removed, in the order of the version they are in."""

    changed: tuple[QuestionChange, ...]
    added: tuple[tuple[str, str], ...]  # (id, text) only in the new version
    removed: tuple[tuple[str, str], ...]  # (id, text) only in the old version
    other_edits: tuple[str, ...]  # ids edited without changing what officers answer

    @property
    def changed_ids(self) -> frozenset[str]:
        return frozenset(c.question_id for c in self.changed)

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


# The types' names, as the editor calls them (web/question_sets/wording.py has the same
# messages); a type added without a name here is called by its own English ``type_label``.
TYPE_NAMES = {
    "single_choice": Phrase("Single choice"),
    "maturity": Phrase("Maturity level"),
    "multiple_choice": Phrase("Checklist"),
    "number": Phrase("Number"),
    "text": Phrase("Free text"),
}
BETTER = {"higher": Phrase("higher"), "lower": Phrase("lower")}


def _words(text: str | None) -> str | None:
    """Text compared as read: runs of spaces and line breaks are one space."""
    return " ".join(text.split()) if text is not None else None


def _number(value: float | None) -> Number | None:
    return None if value is None else Number(value)


def _type_name(question: Question) -> Phrase:
    return TYPE_NAMES.get(question.type_name) or Phrase(question.type_label.replace("%", "%%"))


def _choice_words(choice) -> Phrase:
    """An added or removed choice: its label and what answering it means. A choice is don't
    know, not applicable or scored (or none of these, in an unscored question), never two."""
    if choice.dont_know:
        return Phrase("“%(label)s”, don't know", label=choice.label)
    if choice.not_applicable:
        return Phrase("“%(label)s”, not applicable", label=choice.label)
    if choice.score is not None:
        return Phrase(
            "“%(label)s”, score %(score)s", label=choice.label, score=_number(choice.score)
        )
    return Phrase("“%(label)s”", label=choice.label)


def _quoted(choice_id: str) -> str:
    """A choice's id as the page shows it, quoted as data: "Choice 'yes': label"."""
    return f"'{choice_id}'"


def _choice_field(field: str, choice_id: str) -> Phrase:
    """What changed in a kept choice."""
    choice = _quoted(choice_id)
    if field == "label":
        return Phrase("Choice %(choice)s: label", choice=choice)
    if field == "description":
        return Phrase("Choice %(choice)s: description", choice=choice)
    if field == "score":
        return Phrase("Choice %(choice)s: score", choice=choice)
    if field == "dont_know":
        return Phrase("Choice %(choice)s: “don't know” answer", choice=choice)
    return Phrase("Choice %(choice)s: “not applicable” answer", choice=choice)


def _choice_differences(old: Question, new: Question) -> list[Difference]:
    before = {c.id: c for c in old.answer_choices}
    after = {c.id: c for c in new.answer_choices}
    found = []
    for choice_id, choice in after.items():
        if choice_id not in before:
            what = Phrase("Choice %(choice)s", choice=_quoted(choice_id))
            found.append(Difference(what, None, _choice_words(choice)))
            continue
        was = before[choice_id]
        for field, a, b in (
            ("label", was.label, choice.label),
            ("description", _words(was.description), _words(choice.description)),
            ("score", _number(was.score), _number(choice.score)),
            ("dont_know", was.dont_know, choice.dont_know),
            ("not_applicable", was.not_applicable, choice.not_applicable),
        ):
            if a != b:
                found.append(Difference(_choice_field(field, choice_id), a, b))
    for choice_id, choice in before.items():
        if choice_id not in after:
            what = Phrase("Choice %(choice)s", choice=_quoted(choice_id))
            found.append(Difference(what, _choice_words(choice), None))
    return found


def _levels(question: Question) -> list[str]:
    levels = getattr(question, "levels", ())
    return [
        f"{level.label}" + (f": {_words(level.description)}" if level.description else "")
        for level in levels
    ]


def _bands(question: Question) -> Phrase | None:
    thresholds = getattr(question, "thresholds", None)
    if thresholds is None:
        return None
    if question.better == "lower":
        bands = [
            Phrase("≤ %(value)s scores %(score)s", value=_number(t.value), score=_number(t.score))
            for t in thresholds
        ]
    else:
        bands = [
            Phrase("≥ %(value)s scores %(score)s", value=_number(t.value), score=_number(t.score))
            for t in thresholds
        ]
    return one_after_another(
        [*bands, Phrase("otherwise %(score)s", score=_number(question.otherwise))]
    )


def _special_offers(question: Question) -> dict[Phrase, bool | None]:
    return {
        Phrase("Offers “Don't know”"): question.dont_know
        if hasattr(question, "dont_know")
        else None,
        Phrase("Offers “Not applicable”"): question.not_applicable
        if hasattr(question, "not_applicable")
        else None,
    }


def _number_terms(question: Question) -> dict[Phrase, Value]:
    if not hasattr(question, "thresholds"):
        return {}
    return {
        Phrase("Unit"): question.unit,
        Phrase("Better is"): BETTER.get(question.better, question.better),
        Phrase("Lowest accepted"): _number(question.min),
        Phrase("Highest accepted"): _number(question.max),
        Phrase("Score bands"): _bands(question),
    }


def question_differences(old: Question, new: Question) -> tuple[Difference, ...]:
    """What changed in a question that an officer answered; empty when nothing did."""
    found: list[Difference] = []
    if old.type_name != new.type_name:
        found.append(Difference(Phrase("Type"), _type_name(old), _type_name(new)))
    for what, a, b in (
        (Phrase("Question"), _words(old.text), _words(new.text)),
        (Phrase("Help"), _words(old.help), _words(new.help)),
        (Phrase("Scored"), old.scored, new.scored),
    ):
        if a != b:
            found.append(Difference(what, a, b))
    found += _choice_differences(old, new)
    old_terms: dict[Phrase, Any] = _special_offers(old) | _number_terms(old)
    new_terms: dict[Phrase, Any] = _special_offers(new) | _number_terms(new)
    for what in dict.fromkeys([*old_terms, *new_terms]):
        a, b = old_terms.get(what), new_terms.get(what)
        if a != b and old.type_name == new.type_name:
            found.append(Difference(what, a, b))
    old_levels, new_levels = _levels(old), _levels(new)
    for index in range(max(len(old_levels), len(new_levels))):
        a = old_levels[index] if index < len(old_levels) else None
        b = new_levels[index] if index < len(new_levels) else None
        if a != b:
            found.append(Difference(Phrase("Level %(number)d", number=index), a, b))
    return tuple(found)


def compare_sets(old: QuestionSet, new: QuestionSet) -> SetChanges:
    """Every question of ``new`` compared with the question of the same id in ``old``."""
    changed, added, other = [], [], []
    for section in new.sections:
        for question in section.questions:
            if not old.has_question(question.id):
                added.append((question.id, question.text))
                continue
            before = old.question(question.id)
            differences = question_differences(before, question)
            if differences:
                changed.append(
                    QuestionChange(question.id, section.title, question.text, differences)
                )
            elif before.model_dump() != question.model_dump():
                other.append(question.id)
    removed = [(q.id, q.text) for q in old.questions() if not new.has_question(q.id)]
    return SetChanges(tuple(changed), tuple(added), tuple(removed), tuple(other))


# Field by field, for the audit log of the editor: any object of a (possibly invalid) draft.

MAX_LOGGED_TEXT = 500
_ITEM = {"choices": "choice", "levels": "level", "thresholds": "threshold", "incidents": "incident"}


def _flatten(node: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "id" or not prefix:
                _flatten(value, f"{prefix} {key}".strip(), out)
        return
    if isinstance(node, list) and node and all(isinstance(i, dict) for i in node):
        for index, item in enumerate(node):
            words = prefix.rsplit(" ", 1)
            words[-1] = _ITEM.get(words[-1], words[-1])
            number = index if words[-1] == "level" else index + 1  # levels count from 0
            name = f"'{item['id']}'" if isinstance(item.get("id"), str) else str(number)
            _flatten(item, f"{' '.join(words)} {name}", out)
        return
    if isinstance(node, list):
        out[prefix] = ", ".join(str(i) for i in node)
        return
    if isinstance(node, float):
        out[prefix] = f"{node:g}"
        return
    text = " ".join(str(node).split())
    out[prefix] = text if len(text) <= MAX_LOGGED_TEXT else text[: MAX_LOGGED_TEXT - 1] + "…"


def data_differences(before: Any, after: Any) -> list[list[str]]:
    """``[field, before, after]`` for every field that differs between two versions of one
    object of a draft (a question, a section, a catalogue entry), in words: list items are named
    by their id (``choices 'yes' label``) or position (``levels 2 label``); "" means absent."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    _flatten(before or {}, "", old)
    _flatten(after or {}, "", new)
    return [
        [field, old.get(field, ""), new.get(field, "")]
        for field in dict.fromkeys([*new, *old])
        if old.get(field, "") != new.get(field, "")
    ]
