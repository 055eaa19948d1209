"""Number: a text field, and don't know / not applicable as ``x:`` checkboxes if offered."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from .adapter import Adapter
from .editor_rows import field_number, fill_flags, fill_rows, read_flags
from .fields import FieldProblem, answer_field


def read_answer(question, form) -> object | None:
    text = form.get(answer_field(question.id), "").strip()
    specials = form.getlist(f"x:{question.id}")
    if len(specials) > 1 or (specials and text):
        raise FieldProblem(_("Give a number, or tick 'Don't know' or 'Not applicable', not both."))
    return specials[0] if specials else (text or None)


def read_editor(form) -> tuple[dict, dict]:
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
        **read_flags(form),
    }
    for name in ("min", "max", "otherwise"):
        number = field_number(getattr(form, name))
        if number is not None:
            data[name] = number
    if form.unit.data:
        data["unit"] = form.unit.data
    return data, {"thresholds": rows}


def fill_editor(form, question: dict) -> None:
    fill_rows(form.thresholds, question.get("thresholds") or [], ("value", "score"))
    form.better.data = question.get("better", "lower")
    for name in ("unit", "min", "max", "otherwise"):
        value = question.get(name)
        getattr(form, name).data = (
            "" if value is None else (f"{value:g}" if isinstance(value, int | float) else value)
        )
    fill_flags(form, question)


ADAPTER = Adapter(
    type_name="number",
    read_answer=read_answer,
    editor_fields=(
        "unit",
        "min",
        "max",
        "better",
        "thresholds",
        "otherwise",
        "dont_know",
        "not_applicable",
    ),
    read_editor=read_editor,
    fill_editor=fill_editor,
)
