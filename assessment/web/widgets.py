"""Form widgets for question types: how each type is drawn and read back from a form.

The registry mirrors ``QUESTION_TYPES``: a new question type adds its widget here and its macro
in ``templates/assessments/_widgets.html``; no view knows particular types or questions.

Form field names, per question id ``Q``: ``a:Q`` the answer (one or several values), ``x:Q``
don't know / not applicable for numbers, ``c:Q`` the comment, ``r:Q`` marked for review,
``k:Q`` confirm a copied answer, ``v:Q`` the revision the form was built from, ``o:Q`` a
fingerprint of the state the form showed (to tell what the person changed), and ``q`` the ids of
the questions on the form (so that a checklist with nothing ticked is still seen).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from assessment.questionset import QUESTION_TYPES
from assessment.questionset.base import DONT_KNOW, NOT_APPLICABLE
from assessment.questionset.types import Question

NONE_OF_THESE = "__none__"


class FieldProblem(ValueError):
    """The form's fields for one question contradict each other."""


@dataclass(frozen=True)
class Widget:
    macro: str
    read: Callable[[Question, MultiDict], object | None]


def _one(question: Question, form: MultiDict) -> object | None:
    values = [v for v in form.getlist(f"a:{question.id}") if v != ""]
    if len(values) > 1:
        raise FieldProblem("Choose one answer.")
    return values[0] if values else None


def _maturity(question: Question, form: MultiDict) -> object | None:
    value = _one(question, form)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _checklist(question: Question, form: MultiDict) -> object | None:
    values = form.getlist(f"a:{question.id}")
    specials = [v for v in values if v in {NONE_OF_THESE, DONT_KNOW, NOT_APPLICABLE}]
    items = [v for v in values if v not in specials]
    if len(specials) > 1 or (specials and items):
        raise FieldProblem(
            "Tick items, or one of 'None of these', 'Don't know' and 'Not applicable', not both."
        )
    if specials:
        return [] if specials[0] == NONE_OF_THESE else specials[0]
    return items or None


def _number(question: Question, form: MultiDict) -> object | None:
    text = form.get(f"a:{question.id}", "").strip()
    specials = form.getlist(f"x:{question.id}")
    if len(specials) > 1 or (specials and text):
        raise FieldProblem("Give a number, or tick 'Don't know' or 'Not applicable', not both.")
    return specials[0] if specials else (text or None)


def _text(question: Question, form: MultiDict) -> object | None:
    text = form.get(f"a:{question.id}", "")
    return text if text.strip() else None


WIDGETS: dict[str, Widget] = {
    "single_choice": Widget("single_choice", _one),
    "maturity": Widget("maturity", _maturity),
    "multiple_choice": Widget("multiple_choice", _checklist),
    "number": Widget("number", _number),
    "text": Widget("text", _text),
}
assert set(WIDGETS) == set(QUESTION_TYPES), "every question type needs a widget"


def read_answer(question: Question, form: MultiDict) -> object | None:
    """The raw answer in a form (None when left empty); raise FieldProblem if contradictory."""
    return WIDGETS[question.type_name].read(question, form)


def fingerprint(raw: object | None, comment: str, marked: bool) -> str:
    """A short digest of what a question's fields showed, to tell whether they were changed."""
    canonical = json.dumps([_normal(raw), comment, bool(marked)], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _normal(raw: object | None) -> object | None:
    """Form values and stored values in one shape: '2' and 2, ['b', 'a'] and ['a', 'b']."""
    if isinstance(raw, list | tuple):
        return sorted(str(v) for v in raw)
    if raw is None:
        return None
    return str(raw)
