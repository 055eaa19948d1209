"""Scoring: one pure function from a question set and answers to a result object.

The web page, the PDF, the JSON export and the command line all show the same ``Result``.
"""

from .answers import AnswersInvalid, load_answers_file, parse_answers
from .compare import Comparison, compare
from .engine import score, shown_questions
from .export import result_to_json
from .result import Result

__all__ = [
    "AnswersInvalid",
    "Comparison",
    "Result",
    "compare",
    "load_answers_file",
    "parse_answers",
    "result_to_json",
    "score",
    "shown_questions",
]
