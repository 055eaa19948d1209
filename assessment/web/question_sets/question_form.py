"""The question form of the editor.

The form has the fields every question has and the fields of every type; each type's adapter
(``web/question_types``) says which of them it uses and converts between them and the
question's data. Rows left empty (choices, levels, thresholds) are skipped; ``rows`` remembers
which form row each data item came from, so a problem at ``choices[1].score`` lands on the
right row.

Rows are saved in the order of their "Position" field, so a row can be inserted anywhere or
moved without a script: number an empty row 2 and it becomes the second (on a tie, the row whose
number was changed goes first). The editor's script (``static/editor-rows.js``) hides the
numbers, offers Move up, Move down and Insert buttons, and keeps the numbers in step.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from assessment.limits import MAX_TEXT, MAX_TITLE
from assessment.questionset.base import SEVERITIES, about

from ..common.phrases import say
from ..question_types import ADAPTERS
from ..question_types.editor_rows import BadNumber, field_number
from .support import show_if_data
from .wording import SEVERITY_LABELS


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# Labels and descriptions are text areas that wrap (and grow): long labels are never cut.
WRAPPING = {"rows": 2}


def _position() -> StringField:
    return StringField(
        _l("Position"),
        validators=[Optional(), Length(max=20)],
        render_kw={"inputmode": "decimal"},
    )


class ChoiceRow(Form):
    position = _position()
    id = StringField(_l("Id"), validators=[Optional(), Length(max=80)])
    label = TextAreaField(
        _l("Label"), validators=[Optional(), Length(max=MAX_TITLE)], render_kw=WRAPPING
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=MAX_TEXT)], render_kw=WRAPPING
    )
    score = StringField(_l("Score (0-1)"), validators=[Optional(), Length(max=20)])
    flag = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("", _l("Scored answer")),
            SelectChoice("dont_know", lazy_pgettext("answer", "Don't know")),
            SelectChoice("not_applicable", _l("Not applicable")),
        ],
    )


class LevelRow(Form):
    position = _position()
    label = TextAreaField(
        _l("Label"), validators=[Optional(), Length(max=MAX_TITLE)], render_kw=WRAPPING
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=MAX_TEXT)], render_kw=WRAPPING
    )


class ThresholdRow(Form):
    position = _position()
    value = StringField(_l("Up to / at least"), validators=[Optional(), Length(max=20)])
    score = StringField(_l("Score (0-1)"), validators=[Optional(), Length(max=20)])


class QuestionForm(FlaskForm):
    id = StringField(
        _l("Id"),
        validators=[DataRequired(), Length(max=80)],
        description=_l(
            "Stable: lower-case letters, digits, '-' and '_'. It cannot change later, because "
            "answers refer to it."
        ),
    )
    text = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    help = TextAreaField(
        _l("Help: what a good answer looks like"), validators=[Optional(), Length(max=MAX_TEXT)]
    )
    weight = StringField(_l("Weight"), default="1", validators=[Length(max=20)])
    scored = BooleanField(
        _l("Scored (untick for a profile question that switches others on and off)"),
        default=True,
    )
    show_if_question = SelectField(_l("Shown only if this profile question…"), choices=[])
    show_if_in = StringField(
        _l("…is answered with one of these choice ids (comma-separated)"),
        validators=[Optional(), Length(max=500)],
    )
    weakness_title = StringField(
        _l("Weakness: title"), validators=[Optional(), Length(max=MAX_TITLE)]
    )
    weakness_severity = SelectField(
        _l("Weakness: severity"), choices=[SelectChoice(s, SEVERITY_LABELS[s]) for s in SEVERITIES]
    )
    weakness_why = TextAreaField(
        _l("Weakness: why it matters"), validators=[Optional(), Length(max=MAX_TEXT)]
    )
    mitigations = CheckboxList(_l("Mitigations"), choices=[], validate_choice=True)
    threats = CheckboxList(_l("Threat scenarios it enables"), choices=[], validate_choice=True)
    references = CheckboxList(_l("References"), choices=[], validate_choice=True)
    # single_choice and multiple_choice
    scale = SelectField(_l("Or use a scale"), choices=[])
    choices = FieldList(FormField(ChoiceRow), min_entries=2)
    # maturity
    levels = FieldList(FormField(LevelRow), min_entries=5)
    # maturity, multiple_choice, number
    dont_know = BooleanField(_l("Offer “Don't know”"))
    not_applicable = BooleanField(_l("Offer “Not applicable”"))
    # number
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=40)])
    min = StringField(_l("Lowest accepted"), validators=[Optional(), Length(max=20)])
    max = StringField(_l("Highest accepted"), validators=[Optional(), Length(max=20)])
    better = SelectField(
        _l("Better is"),
        choices=[
            SelectChoice("lower", _l("Lower (e.g. days to patch)")),
            SelectChoice("higher", _l("Higher (e.g. share trained)")),
        ],
    )
    thresholds = FieldList(FormField(ThresholdRow), min_entries=3)
    otherwise = StringField(
        _l("Score beyond the last band"), default="0", validators=[Length(max=20)]
    )
    # text
    max_length = StringField(
        _l("Longest answer (characters)"), default=str(MAX_TEXT), validators=[Length(max=20)]
    )


def question_form_for(type_name: str) -> QuestionForm:
    """A question form with only the fields of this type (others are neither shown nor
    validated)."""
    form = QuestionForm()
    for name in TYPE_FIELDS - set(ADAPTERS[type_name].editor_fields):
        del form[name]
    return form


TYPE_FIELDS = {name for adapter in ADAPTERS.values() for name in adapter.editor_fields}

COMMON_PATHS = {
    ("text",): "text",
    ("help",): "help",
    ("weight",): "weight",
    ("show_if", "question"): "show_if_question",
    ("show_if", "in"): "show_if_in",
    ("weakness", "title"): "weakness_title",
    ("weakness", "severity"): "weakness_severity",
    ("weakness", "why"): "weakness_why",
    ("weakness",): "weakness_title",
    ("mitigations",): "mitigations",
    ("threats",): "threats",
    ("references",): "references",
    ("id",): "id",
}


def clean_text(value: str | None) -> str:
    """Text as people mean it: Windows line ends made plain, outer blank space removed."""
    return (value or "").replace("\r\n", "\n").strip()


ROW_LISTS = ("choices", "levels", "thresholds")


def order_rows(form: QuestionForm) -> None:
    """Put each list's rows in the order of their positions, then number them 1, 2, 3...

    A row's own place counts when its position is empty; on a tie, a row whose position was
    changed (it was moved there) goes before the row that was there. Labels are one line (a
    text area may send line breaks). Raises BadNumber, beside the field, for a bad position.
    """
    bad = False
    for name in ROW_LISTS:
        if name not in form:
            continue
        keyed = []
        for index, entry in enumerate(form[name].entries):
            try:
                position = field_number(entry.form.position)
            except BadNumber:
                bad, position = True, None
            moved = position is not None and position != index + 1
            keyed.append(((index + 1 if position is None else position, not moved, index), entry))
        form[name].entries = [entry for _key, entry in sorted(keyed, key=lambda k: k[0])]
        for number, entry in enumerate(form[name].entries, start=1):
            if not entry.form.position.errors:
                entry.form.position.data = str(number)
            if "label" in entry.form:
                entry.form.label.data = " ".join((entry.form.label.data or "").split())
            if "description" in entry.form:
                entry.form.description.data = clean_text(entry.form.description.data)
    if bad:
        raise BadNumber(_("Enter a position number."))


def number_rows(form: QuestionForm) -> None:
    """Positions 1, 2, 3... as the rows stand (a new form, or one filled from the draft)."""
    for name in ROW_LISTS:
        if name in form:
            for number, entry in enumerate(form[name].entries, start=1):
                entry.form.position.data = str(number)


def question_from_form(form: QuestionForm, type_name: str) -> tuple[dict, dict[str, list[int]]]:
    """The question's data from the form, and which form row each list item came from.

    Raises BadNumber (already attached to its field) when a number does not parse.
    """
    order_rows(form)
    specific, rows = ADAPTERS[type_name].read_editor(form)
    question: dict[str, Any] = {
        "id": (form.id.data or "").strip(),
        "type": type_name,
        "text": clean_text(form.text.data),
    }
    if clean_text(form.help.data):
        question["help"] = clean_text(form.help.data)
    weight = field_number(form.weight)
    if weight is not None and weight != 1:
        question["weight"] = weight
    question |= show_if_data(form)
    question.update(specific)
    if question.get("scored", True) and type_name != "text":
        title, why = clean_text(form.weakness_title.data), clean_text(form.weakness_why.data)
        if title or why:
            question["weakness"] = {
                "title": title,
                "severity": form.weakness_severity.data,
                "why": why,
            }
        for name in ("mitigations", "threats", "references"):
            if getattr(form, name).data:
                question[name] = list(getattr(form, name).data)
    if question.get("scored") is True:
        question.pop("scored")  # the default; keep files tidy
    return question, rows


def fill_question_form(form: QuestionForm, question: dict) -> None:
    form.id.data = question.get("id", "")
    form.text.data = question.get("text", "")
    form.help.data = question.get("help", "")
    weight = question.get("weight", 1)
    form.weight.data = f"{weight:g}"
    condition = question.get("show_if") or {}
    form.show_if_question.data = condition.get("question", "")
    form.show_if_in.data = ", ".join(condition.get("in", []))
    weakness = question.get("weakness") or {}
    form.weakness_title.data = weakness.get("title", "")
    form.weakness_severity.data = weakness.get("severity", "high")
    form.weakness_why.data = weakness.get("why", "")
    for name in ("mitigations", "threats", "references"):
        getattr(form, name).data = list(question.get(name, []))
    ADAPTERS[question["type"]].fill_editor(form, question)
    number_rows(form)


def attach_problems(
    form: QuestionForm, by_field: dict[tuple, list[str]], rows: dict[str, list[int]]
) -> list[str]:
    """Put each problem beside its field; return those that belong to no single field. Both
    in the page's language (the validator's messages are English Phrases)."""
    leftovers = []
    for path, messages in by_field.items():
        target = _resolve(form, path, rows)
        if target is None:
            where = ".".join(str(p) for p in path)
            leftovers += [say(about(where, m)) for m in messages]
        else:
            target.errors = [*target.errors, *map(say, messages)]
    return leftovers


def _resolve(form: QuestionForm, path: tuple, rows: dict[str, list[int]]):
    for length in (2, 1):
        name = COMMON_PATHS.get(path[:length])
        if name and (
            length == len(path) or path[0] in {"mitigations", "threats", "references", "show_if"}
        ):
            return form[name]
    if (
        path
        and path[0] in {"choices", "levels", "thresholds"}
        and len(path) == 3
        and isinstance(path[1], int)
        and path[1] < len(rows.get(path[0], []))
    ):
        entry = form[path[0]].entries[rows[path[0]][path[1]]]
        return getattr(entry.form, str(path[2]), None)
    if len(path) == 1 and path[0] in form:
        return form[path[0]]
    return None
