"""Properties of the scoring function over random valid question sets and answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.questionset import Answer, AnswerStatus, validate_data
from assessment.questionset.types import (
    MaturityQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    SingleChoiceQuestion,
)
from assessment.scoring import parse_answers, result_to_json, score

from ..strategies import question_sets, raw_answers

SETTINGS = settings()  # examples from the profile (tests/conftest.py)


@st.composite
def scored_cases(draw):
    question_set = validate_data(draw(question_sets()))
    answers = parse_answers(question_set, draw(raw_answers(question_set)))
    return question_set, answers


def _in_range(value):
    return value is None or 0 <= value <= 100 + 1e-9


@SETTINGS
@given(scored_cases())
def test_every_score_is_within_0_and_100(case):
    result = score(*case)
    assert _in_range(result.overall)
    assert all(_in_range(s.score) for s in result.sections)
    assert all(_in_range(c.score) for c in result.coverage)
    assert all(_in_range(f.score) for f in result.frameworks)
    assert 0 <= result.completeness <= 1


def _better_answers(question, answer: Answer) -> list[Answer]:
    """Answers at least as good as ``answer`` under the question's own scale."""
    current = question.score(answer)
    if current is None:  # not applicable: not a scored answer to raise
        return []
    if isinstance(question, SingleChoiceQuestion):
        return [
            Answer(c.id) for c in question.options if c.score is not None and c.score >= current
        ]
    if isinstance(question, MaturityQuestion):
        start = answer.value if answer.status is AnswerStatus.ANSWERED else 0
        return [Answer(level) for level in range(start, question.top + 1)]
    if isinstance(question, MultipleChoiceQuestion):
        ticked = list(answer.value) if answer.status is AnswerStatus.ANSWERED else []
        return [Answer(tuple(ticked + [c.id])) for c in question.choices if c.id not in ticked] + [
            Answer(tuple(c.id for c in question.choices))
        ]
    if isinstance(question, NumberQuestion):
        if answer.status is not AnswerStatus.ANSWERED:
            return [question.best_answer()]
        step = -1 if question.better == "lower" else 1
        value = answer.value + step
        inside = question.min <= value <= question.max
        return [Answer(value)] if inside else []
    return []


@SETTINGS
@given(scored_cases(), st.randoms(use_true_random=False))
def test_raising_one_answer_never_lowers_a_score_or_adds_a_weakness(case, rnd):
    question_set, answers = case
    candidates = [qid for qid, a in answers.items() if question_set.question(qid).scored]
    if not candidates:
        return
    qid = rnd.choice(candidates)
    question = question_set.question(qid)
    before = score(question_set, answers)
    for better in _better_answers(question, answers[qid]):
        after = score(question_set, {**answers, qid: better})
        section = question_set.section_of(qid).id
        if before.section(section).score is not None:
            assert after.section(section).score >= before.section(section).score - 1e-9
        if before.overall is not None:
            assert after.overall >= before.overall - 1e-9
        assert {w.question_id for w in after.weaknesses} <= {
            w.question_id for w in before.weaknesses
        }
        if before.maturity is not None:
            assert after.maturity.level >= before.maturity.level
        # The plan's first items: the greatest priority the plan closes never rises.
        top = max((a.priority for a in before.action_plan), default=0)
        assert max((a.priority for a in after.action_plan), default=0) <= top + 1e-9


@SETTINGS
@given(scored_cases(), st.randoms(use_true_random=False))
def test_the_order_of_answers_does_not_matter(case, rnd):
    question_set, answers = case
    items = list(answers.items())
    rnd.shuffle(items)
    assert result_to_json(score(question_set, dict(items))) == result_to_json(
        score(question_set, answers)
    )


def _extreme(question_set, answers, pick):
    """Keep the profile answers (they decide what is shown); set every scored one to pick()."""
    chosen = {qid: a for qid, a in answers.items() if not question_set.question(qid).scored}
    for question in question_set.questions():
        if question.scored:
            chosen[question.id] = pick(question)
    return chosen


@SETTINGS
@given(scored_cases())
def test_all_best_answers_score_100_without_weaknesses(case):
    question_set, answers = case
    result = score(question_set, _extreme(question_set, answers, lambda q: q.best_answer()))
    assert result.weaknesses == ()
    if any(s.score is not None for s in result.sections):
        assert abs(result.overall - 100) < 1e-9


@SETTINGS
@given(scored_cases())
def test_all_worst_answers_give_a_weakness_for_every_applicable_scored_question(case):
    question_set, answers = case
    result = score(question_set, _extreme(question_set, answers, lambda q: q.worst_answer()))
    applicable = {
        q.question_id
        for q in result.questions
        if q.scored and q.status not in {"hidden", "not_applicable"}
    }
    assert {w.question_id for w in result.weaknesses} == applicable


@SETTINGS
@given(scored_cases())
def test_no_level_above_its_cap_appears_with_an_open_weakness_of_that_severity(case):
    from assessment.scoring.rules import CAPS

    result = score(*case)
    if result.maturity is None:
        return
    for severity, cap in CAPS.items():
        if any(w.severity == severity for w in result.weaknesses):
            assert result.maturity.level <= cap
    assert result.maturity.level <= result.maturity.band
    assert result.maturity.capped == (result.maturity.level < result.maturity.band)


@SETTINGS
@given(scored_cases())
def test_all_best_answers_give_the_top_level(case):
    question_set, answers = case
    result = score(question_set, _extreme(question_set, answers, lambda q: q.best_answer()))
    if result.maturity is not None:
        assert (result.maturity.level, result.maturity.capped) == (5, False)
