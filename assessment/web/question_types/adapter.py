"""What the web layer knows about one question type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Adapter:
    """The web half of a question type (the pure half is its class in questionset/types.py).

    ``read_answer(question, form)`` reads the officer's answer from the submitted fields (None
    when left empty; FieldProblem when the fields contradict each other). ``editor_fields`` are
    the editor form's fields the type uses; ``read_editor(form)`` turns them into the type's
    keys of the question (and which form row each list item came from), ``fill_editor(form,
    question)`` does the reverse. The officer's widget is ``templates/question_types/<type>.html``
    (a macro ``field``).
    """

    type_name: str
    read_answer: Callable
    editor_fields: tuple[str, ...]
    read_editor: Callable
    fill_editor: Callable

    @property
    def template(self) -> str:
        return f"question_types/{self.type_name}.html"
