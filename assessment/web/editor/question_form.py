"""The question form of the editor, and one editor per question type.

The form has the fields every question has and the fields of every type; each type's editor
says which of them it uses and converts between them and the question's data. The registry
mirrors ``QUESTION_TYPES``, so a new type adds its editor here and its rows in the template.
Rows left empty (choices, levels, thresholds) are skipped; ``rows`` remembers which form row
each data item came from, so a problem at ``choices[1].score`` lands on the right row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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

from assessment.questionset import QUESTION_TYPES
from assessment.questionset.base import SEVERITIES

from .support import show_if_data

EXTRA_ROWS = 3


class BadNumber(ValueError):
    pass


def _number(text: str | None, *, whole: bool = False) -> float | int | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadNumber("Enter a number.") from None
    if whole:
        if not value.is_integer():
            raise BadNumber("Enter a whole number.")
        return int(value)
    return value


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChoiceRow(Form):
    id = StringField("Id", validators=[Optional(), Length(max=80)])
    label = StringField("Label", validators=[Optional(), Length(max=300)])
    description = StringField("Description", validators=[Optional(), Length(max=5000)])
    score = StringField("Score (0-1)", validators=[Optional(), Length(max=20)])
    flag = SelectField(
        "Kind",
        choices=[
            SelectChoice("", "Scored answer"),
            SelectChoice("dont_know", "Don't know"),
            SelectChoice("not_applicable", "Not applicable"),
        ],
    )


class LevelRow(Form):
    label = StringField("Label", validators=[Optional(), Length(max=300)])
    description = StringField("Description", validators=[Optional(), Length(max=5000)])


class ThresholdRow(Form):
    value = StringField("Up to / at least", validators=[Optional(), Length(max=20)])
    score = StringField("Score (0-1)", validators=[Optional(), Length(max=20)])


class QuestionForm(FlaskForm):
    id = StringField(
        "Id",
        validators=[DataRequired(), Length(max=80)],
        description="Stable: lower-case letters, digits, '-' and '_'. It cannot "
        "change later, because answers refer to it.",
    )
    text = TextAreaField("Question", validators=[DataRequired(), Length(max=5000)])
    help = TextAreaField(
        "Help: what a good answer looks like", validators=[Optional(), Length(max=5000)]
    )
    weight = StringField("Weight", default="1", validators=[Length(max=20)])
    scored = BooleanField(
        "Scored (untick for a profile question that switches others on and off)", default=True
    )
    show_if_question = SelectField("Shown only if this profile question…", choices=[])
    show_if_in = StringField(
        "…is answered with one of these choice ids (comma-separated)",
        validators=[Optional(), Length(max=500)],
    )
    weakness_title = StringField("Weakness: title", validators=[Optional(), Length(max=300)])
    weakness_severity = SelectField(
        "Weakness: severity", choices=[SelectChoice(s, s.title()) for s in SEVERITIES]
    )
    weakness_why = TextAreaField(
        "Weakness: why it matters", validators=[Optional(), Length(max=5000)]
    )
    mitigations = CheckboxList("Mitigations", choices=[], validate_choice=True)
    threats = CheckboxList("Threat scenarios it enables", choices=[], validate_choice=True)
    references = CheckboxList("References", choices=[], validate_choice=True)
    # single_choice and multiple_choice
    scale = SelectField("Or use a scale", choices=[])
    choices = FieldList(FormField(ChoiceRow), min_entries=2)
    # maturity
    levels = FieldList(FormField(LevelRow), min_entries=5)
    # maturity, multiple_choice, number
    dont_know = BooleanField("Offer “Don't know”")
    not_applicable = BooleanField("Offer “Not applicable”")
    # number
    unit = StringField("Unit", validators=[Optional(), Length(max=40)])
    min = StringField("Lowest accepted", validators=[Optional(), Length(max=20)])
    max = StringField("Highest accepted", validators=[Optional(), Length(max=20)])
    better = SelectField(
        "Better is",
        choices=[
            SelectChoice("lower", "Lower (e.g. days to patch)"),
            SelectChoice("higher", "Higher (e.g. share trained)"),
        ],
    )
    thresholds = FieldList(FormField(ThresholdRow), min_entries=3)
    otherwise = StringField("Score beyond the last band", default="0", validators=[Length(max=20)])
    # text
    max_length = StringField(
        "Longest answer (characters)", default="5000", validators=[Length(max=20)]
    )


def _read_choices(form: QuestionForm, *, flags: bool) -> tuple[list[dict], list[int]]:
    choices, rows = [], []
    for index, entry in enumerate(form.choices.entries):
        row = entry.form
        if not (row.id.data or "").strip():
            continue
        choice: dict[str, Any] = {"id": row.id.data.strip(), "label": (row.label.data or "")}
        if row.description.data:
            choice["description"] = row.description.data
        if flags and row.flag.data:
            choice[row.flag.data] = True
        else:
            score = field_number(row.score)
            if score is not None:
                choice["score"] = score
        choices.append(choice)
        rows.append(index)
    return choices, rows


def field_number(wt_field, *, whole: bool = False):
    try:
        return _number(wt_field.data, whole=whole)
    except BadNumber as exc:
        wt_field.errors = [*wt_field.errors, str(exc)]
        raise


def _read_single(form: QuestionForm) -> tuple[dict, dict]:
    data: dict[str, Any] = {"scored": bool(form.scored.data)}
    if form.scale.data:
        data["scale"] = form.scale.data
        return data, {}
    data["choices"], rows = _read_choices(form, flags=True)
    return data, {"choices": rows}


def _read_flags(form: QuestionForm) -> dict:
    """Only the flags that are on: off is the default, and files stay tidy."""
    return {name: True for name in ("dont_know", "not_applicable") if form[name].data}


def _read_maturity(form: QuestionForm) -> tuple[dict, dict]:
    levels, rows = [], []
    for index, entry in enumerate(form.levels.entries):
        row = entry.form
        if not (row.label.data or "").strip():
            continue
        level = {"label": row.label.data}
        if row.description.data:
            level["description"] = row.description.data
        levels.append(level)
        rows.append(index)
    return {"levels": levels, **_read_flags(form)}, {"levels": rows}


def _read_multiple(form: QuestionForm) -> tuple[dict, dict]:
    choices, rows = _read_choices(form, flags=False)
    return {"scored": bool(form.scored.data), "choices": choices, **_read_flags(form)}, {
        "choices": rows
    }


def _read_number(form: QuestionForm) -> tuple[dict, dict]:
    thresholds, rows = [], []
    for index, entry in enumerate(form.thresholds.entries):
        row = entry.form
        value, score = field_number(row.value), field_number(row.score)
        if value is None and score is None:
            continue
        thresholds.append({"value": value, "score": score})
        rows.append(index)
    data: dict[str, Any] = {
        "better": form.better.data,
        "thresholds": thresholds,
        **_read_flags(form),
    }
    for name in ("min", "max", "otherwise"):
        number = field_number(getattr(form, name))
        if number is not None:
            data[name] = number
    if form.unit.data:
        data["unit"] = form.unit.data
    return data, {"thresholds": rows}


def _read_text(form: QuestionForm) -> tuple[dict, dict]:
    length = field_number(form.max_length, whole=True)
    return ({"max_length": length} if length is not None else {}), {}


READERS = {
    "single_choice": _read_single,
    "maturity": _read_maturity,
    "multiple_choice": _read_multiple,
    "number": _read_number,
    "text": _read_text,
}


def _fill_rows(field_list: FieldList, items: list[dict], keys: tuple[str, ...]) -> None:
    while len(field_list.entries) < len(items) + EXTRA_ROWS:
        field_list.append_entry()
    for entry, item in zip(field_list.entries, items, strict=False):
        for key in keys:
            value = item.get(key)
            entry.form[key].data = (
                "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            )


def _fill_choices(form: QuestionForm, question: dict) -> None:
    choices = question.get("choices") or []
    _fill_rows(form.choices, choices, ("id", "label", "description", "score"))
    for entry, choice in zip(form.choices.entries, choices, strict=False):
        entry.form.flag.data = (
            "dont_know"
            if choice.get("dont_know")
            else ("not_applicable" if choice.get("not_applicable") else "")
        )


def _fill_single(form: QuestionForm, question: dict) -> None:
    form.scored.data = question.get("scored", True)
    form.scale.data = question.get("scale", "")
    _fill_choices(form, question)


def _fill_flags(form: QuestionForm, question: dict) -> None:
    form.dont_know.data = question.get("dont_know", False)
    form.not_applicable.data = question.get("not_applicable", False)


def _fill_maturity(form: QuestionForm, question: dict) -> None:
    _fill_rows(form.levels, question.get("levels") or [], ("label", "description"))
    _fill_flags(form, question)


def _fill_multiple(form: QuestionForm, question: dict) -> None:
    form.scored.data = question.get("scored", True)
    _fill_choices(form, question)
    _fill_flags(form, question)


def _fill_number(form: QuestionForm, question: dict) -> None:
    _fill_rows(form.thresholds, question.get("thresholds") or [], ("value", "score"))
    form.better.data = question.get("better", "lower")
    for name in ("unit", "min", "max", "otherwise"):
        value = question.get(name)
        getattr(form, name).data = (
            "" if value is None else (f"{value:g}" if isinstance(value, int | float) else value)
        )
    _fill_flags(form, question)


def _fill_text(form: QuestionForm, question: dict) -> None:
    form.max_length.data = str(question.get("max_length", 5000))


FILLERS = {
    "single_choice": _fill_single,
    "maturity": _fill_maturity,
    "multiple_choice": _fill_multiple,
    "number": _fill_number,
    "text": _fill_text,
}


@dataclass(frozen=True)
class TypeEditor:
    """What a question type adds to the common fields, read from and written to the form."""

    fields: tuple[str, ...]
    read: Callable[[QuestionForm], tuple[dict, dict[str, list[int]]]]
    fill: Callable[[QuestionForm, dict], None]


EDITORS = {
    "single_choice": TypeEditor(("scored", "scale", "choices"), _read_single, _fill_single),
    "maturity": TypeEditor(
        ("levels", "dont_know", "not_applicable"), _read_maturity, _fill_maturity
    ),
    "multiple_choice": TypeEditor(
        ("scored", "choices", "dont_know", "not_applicable"), _read_multiple, _fill_multiple
    ),
    "number": TypeEditor(
        ("unit", "min", "max", "better", "thresholds", "otherwise", "dont_know", "not_applicable"),
        _read_number,
        _fill_number,
    ),
    "text": TypeEditor(("max_length",), _read_text, _fill_text),
}
assert set(EDITORS) == set(QUESTION_TYPES), "every question type needs an editor"
TYPE_FIELDS = {name for editor in EDITORS.values() for name in editor.fields}


def question_form_for(type_name: str) -> QuestionForm:
    """A question form with only the fields of this type (others are neither shown nor
    validated)."""
    form = QuestionForm()
    for name in TYPE_FIELDS - set(EDITORS[type_name].fields):
        del form[name]
    return form


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


def question_from_form(form: QuestionForm, type_name: str) -> tuple[dict, dict[str, list[int]]]:
    """The question's data from the form, and which form row each list item came from.

    Raises BadNumber (already attached to its field) when a number does not parse.
    """
    specific, rows = EDITORS[type_name].read(form)
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
    EDITORS[question["type"]].fill(form, question)


def attach_problems(
    form: QuestionForm, by_field: dict[tuple, list[str]], rows: dict[str, list[int]]
) -> list[str]:
    """Put each problem beside its field; return those that belong to no single field."""
    leftovers = []
    for path, messages in by_field.items():
        target = _resolve(form, path, rows)
        if target is None:
            where = ".".join(str(p) for p in path)
            leftovers += [f"{where}: {m}" for m in messages]
        else:
            target.errors = [*target.errors, *messages]
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
