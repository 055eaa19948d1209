"""The web half of each question type, one adapter per type (see ``adapter.Adapter``).

The registry mirrors ``QUESTION_TYPES`` (a test keeps them equal): adding a type is its class in
``questionset/types.py``, one module here, and ``templates/question_types/<type>.html``.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from assessment.questionset.types import Question

from . import maturity, multiple_choice, number, single_choice, text
from .adapter import Adapter
from .fields import NONE_OF_THESE, FieldProblem, fingerprint

ADAPTERS: dict[str, Adapter] = {
    module.ADAPTER.type_name: module.ADAPTER
    for module in (single_choice, maturity, multiple_choice, number, text)
}


def read_answer(question: Question, form: MultiDict) -> object | None:
    """The raw answer in a form (None when left empty); raise FieldProblem if contradictory."""
    return ADAPTERS[question.type_name].read_answer(question, form)


__all__ = ["ADAPTERS", "NONE_OF_THESE", "Adapter", "FieldProblem", "fingerprint", "read_answer"]
