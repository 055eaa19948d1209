"""Free text: a text area; never scored."""

from __future__ import annotations

from assessment.limits import MAX_TEXT

from .adapter import Adapter
from .editor_rows import field_number
from .fields import answer_field


def read_answer(question, form) -> object | None:
    text = form.get(answer_field(question.id), "")
    return text if text.strip() else None


def read_editor(form) -> tuple[dict, dict]:
    length = field_number(form.max_length, whole=True)
    return ({"max_length": length} if length is not None else {}), {}


def fill_editor(form, question: dict) -> None:
    form.max_length.data = str(question.get("max_length", MAX_TEXT))


ADAPTER = Adapter(
    type_name="text",
    read_answer=read_answer,
    editor_fields=("max_length",),
    read_editor=read_editor,
    fill_editor=fill_editor,
)
