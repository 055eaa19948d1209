"""Sample answers for a question set: for previews, sample reports, benchmarks and tests.

Profile answers are chosen to show as many questions as the set allows (a checklist ticks every
item; a single choice takes the choice that shows the most), so a sample covers the longest
assessment the set can make.
"""

from __future__ import annotations

import random
from typing import Literal

from assessment.questionset import Answer, QuestionSet

from .engine import shown_questions

Pattern = Literal["best", "worst", "mixed"]
PATTERNS: tuple[str, ...] = ("worst", "mixed", "best")


def widest_profile(question_set: QuestionSet) -> dict[str, Answer]:
    """Profile answers that show the most questions."""
    answers: dict[str, Answer] = {}
    for question in question_set.questions():
        options = question.condition_ids()
        if question.scored or not options:
            continue
        if question.type_name == "multiple_choice":
            answers[question.id] = question.parse_answer(list(options))
            continue
        answers[question.id] = max(
            (question.parse_answer(choice) for choice in options),
            key=lambda a, q=question: len(shown_questions(question_set, answers | {q.id: a})),
        )
    return answers


def sample_answers(question_set: QuestionSet, pattern: Pattern) -> dict[str, Answer]:
    """Every shown scored question answered at its best, its worst, or (mixed) at one of the
    two, repeatably (two bests to one worst), on the widest profile."""
    rnd = random.Random(question_set.id)  # noqa: S311 - a repeatable sample, not a secret
    answers = widest_profile(question_set)
    shown = shown_questions(question_set, answers)
    for question in question_set.questions():
        if not question.scored or question.id not in shown:
            continue
        if pattern == "best":
            answers[question.id] = question.best_answer()
        elif pattern == "worst":
            answers[question.id] = question.worst_answer()
        else:
            pick = rnd.choice([question.best_answer, question.worst_answer, question.best_answer])
            answers[question.id] = pick()
    return answers
