"""Checklist: a checkbox per item, and exclusive 'none of these', don't know, not applicable."""

from __future__ import annotations

from flask_babel import gettext as _

from assessment.questionset.base import DONT_KNOW, NOT_APPLICABLE

from .adapter import Adapter
from .editor_rows import fill_choices, fill_flags, read_choices, read_flags
from .fields import NONE_OF_THESE, FieldProblem, answer_field


def read_answer(question, form) -> object | None:
    values = form.getlist(answer_field(question.id))
    specials = [v for v in values if v in {NONE_OF_THESE, DONT_KNOW, NOT_APPLICABLE}]
    items = [v for v in values if v not in specials]
    if len(specials) > 1 or (specials and items):
        raise FieldProblem(
            _("Tick items, or one of 'None of these', 'Don't know' and 'Not applicable', not both.")
        )
    if specials:
        return [] if specials[0] == NONE_OF_THESE else specials[0]
    return items or None


def read_editor(form) -> tuple[dict, dict]:
    choices, rows = read_choices(form, flags=False)
    data = {"scored": bool(form.scored.data), "choices": choices, **read_flags(form)}
    return data, {"choices": rows}


def fill_editor(form, question: dict) -> None:
    form.scored.data = question.get("scored", True)
    fill_choices(form, question)
    fill_flags(form, question)


ADAPTER = Adapter(
    type_name="multiple_choice",
    read_answer=read_answer,
    editor_fields=("scored", "choices", "dont_know", "not_applicable"),
    read_editor=read_editor,
    fill_editor=fill_editor,
)
