"""Single choice: one radio button per choice."""

from __future__ import annotations

from .adapter import Adapter
from .editor_rows import fill_choices, read_choices
from .fields import one_value


def read_editor(form) -> tuple[dict, dict]:
    data: dict = {"scored": bool(form.scored.data)}
    if form.scale.data:
        data["scale"] = form.scale.data
        return data, {}
    data["choices"], rows = read_choices(form, flags=True)
    return data, {"choices": rows}


def fill_editor(form, question: dict) -> None:
    form.scored.data = question.get("scored", True)
    form.scale.data = question.get("scale", "")
    fill_choices(form, question)


ADAPTER = Adapter(
    type_name="single_choice",
    read_answer=lambda question, form: one_value(question.id, form),
    editor_fields=("scored", "scale", "choices"),
    read_editor=read_editor,
    fill_editor=fill_editor,
)
