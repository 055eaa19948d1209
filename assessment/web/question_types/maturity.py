"""Maturity level: one radio button per level, and don't know / not applicable if offered."""

from __future__ import annotations

from .adapter import Adapter
from .editor_rows import fill_flags, fill_rows, read_flags
from .fields import one_value


def read_answer(question, form) -> object | None:
    value = one_value(question.id, form)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def read_editor(form) -> tuple[dict, dict]:
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
    return {"levels": levels, **read_flags(form)}, {"levels": rows}


def fill_editor(form, question: dict) -> None:
    fill_rows(form.levels, question.get("levels") or [], ("label", "description"))
    fill_flags(form, question)


ADAPTER = Adapter(
    type_name="maturity",
    read_answer=read_answer,
    editor_fields=("levels", "dont_know", "not_applicable"),
    read_editor=read_editor,
    fill_editor=fill_editor,
)
