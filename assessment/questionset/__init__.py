"""Question sets as data: the YAML format, its validation and the question-type registry.

Pure Python (no Flask, no database): the CLI, the web layer, the scoring and the report all
build on ``load_question_set``.
"""

from .base import Answer, AnswerError, AnswerStatus
from .document import QuestionSet
from .types import QUESTION_TYPES, Question
from .validate import Problem, QuestionSetInvalid, load_question_set, validate_data

__all__ = [
    "QUESTION_TYPES",
    "Answer",
    "AnswerError",
    "AnswerStatus",
    "Problem",
    "Question",
    "QuestionSet",
    "QuestionSetInvalid",
    "load_question_set",
    "validate_data",
]
