"""The scoring function: (question set, answers) -> Result. Pure: no Flask, no database.

The method, in order:
1. Visibility: a section or question with ``show_if`` is shown only if the named profile
   question is shown and its answer matches. Hidden questions leave the weights.
2. Each shown, answered, scored question gets its answer's score (0..1): "don't know" scores 0
   and is an information gap; "not applicable" leaves the weights.
3. A section's score is the weighted mean of its scored questions, x 100; the overall score is
   the weighted mean of the section scores by section weight.
4. Completeness is answered / applicable, where applicable means shown, not "not applicable",
   and not free text.
5. Every scored question below full score is a weakness with a priority (see rules.py), and the
   weaknesses give the action plan, the framework coverage and the threat exposure.
"""

from __future__ import annotations

from collections.abc import Mapping

from assessment.questionset import Answer, AnswerStatus, QuestionSet
from assessment.questionset.document import Section
from assessment.questionset.types import Question, TextQuestion

from . import rules
from .coverage import framework_coverage, reference_coverage, threat_exposure
from .plan import action_plan
from .result import FoundWeakness, QuestionResult, Result, SectionResult

FULL = 1.0 - 1e-9


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(weight for _, weight in pairs)
    if not pairs or total <= 0:
        return None
    return sum(value * weight for value, weight in pairs) / total


def _status(answer: Answer | None) -> str:
    return AnswerStatus.UNANSWERED if answer is None else answer.status


class _Visibility:
    """Tracks the answers of shown questions, which are all a condition may look at."""

    def __init__(self, question_set: QuestionSet, answers: Mapping[str, Answer]):
        self.question_set = question_set
        self.answers = answers
        self.shown: set[str] = set()

    def allows(self, item: Section | Question) -> bool:
        condition = item.show_if
        if condition is None:
            return True
        if condition.question not in self.shown:
            return False
        answer = self.answers.get(condition.question)
        target = self.question_set.question(condition.question)
        return answer is not None and target.matches(answer, condition.in_)


def shown_questions(question_set: QuestionSet, answers: Mapping[str, Answer]) -> set[str]:
    """The ids of the questions asked, given these answers (the same rule as ``score``)."""
    visibility = _Visibility(question_set, answers)
    for section in question_set.sections:
        section_shown = visibility.allows(section)
        for question in section.questions:
            if section_shown and visibility.allows(question):
                visibility.shown.add(question.id)
    return visibility.shown


def score(question_set: QuestionSet, answers: Mapping[str, Answer]) -> Result:
    """Score answers (question id -> normalised Answer) against one question-set version."""
    visibility = _Visibility(question_set, answers)
    questions: list[QuestionResult] = []
    sections: list[SectionResult] = []
    weaknesses: list[FoundWeakness] = []
    for section in question_set.sections:
        section_shown = visibility.allows(section)
        section_questions = []
        for question in section.questions:
            shown = section_shown and visibility.allows(question)
            if shown:
                visibility.shown.add(question.id)
            notes = answers.get(question.id)  # may hold only a comment or evidence
            answer = notes if notes is not None and notes.given else None
            result = _question_result(section, question, answer if shown else None, shown, notes)
            section_questions.append(result)
            weakness = _weakness(section, question, result, answer) if shown and answer else None
            if weakness:
                weaknesses.append(weakness)
        questions.extend(section_questions)
        sections.append(_section_result(section, section_shown, section_questions))

    overall = _weighted_mean([(s.score, s.weight) for s in sections if s.score is not None])
    counted = [q for q in questions if _counts_for_completeness(question_set, q)]
    answered = [q for q in counted if q.status != AnswerStatus.UNANSWERED]
    weaknesses.sort(key=rules.weakness_order)
    severity_counts = {
        level: sum(w.severity == level for w in weaknesses) for level in rules.SEVERITY_POINTS
    }
    scored_answers = [
        q for q in questions if q.scored and q.status in ANSWERED_STATES and q.score is not None
    ]
    return Result(
        questionnaire_id=question_set.id,
        questionnaire_version=question_set.version,
        questionnaire_title=question_set.title,
        overall=overall,
        maturity=rules.maturity_for(overall, severity_counts),
        completeness=len(answered) / len(counted) if counted else 1.0,
        applicable=len(counted),
        answered=len(answered),
        unanswered=tuple(q.question_id for q in counted if q.status == AnswerStatus.UNANSWERED),
        information_gaps=tuple(
            q.question_id for q in questions if q.status == AnswerStatus.DONT_KNOW
        ),
        not_applicable=tuple(
            q.question_id for q in questions if q.status == AnswerStatus.NOT_APPLICABLE
        ),
        sections=tuple(sections),
        questions=tuple(questions),
        weaknesses=tuple(weaknesses),
        action_plan=action_plan(question_set, weaknesses),
        frameworks=framework_coverage(question_set, questions),
        coverage=reference_coverage(question_set, questions),
        threats=threat_exposure(question_set, questions, weaknesses),
        severity_counts=severity_counts,
        with_evidence=sum(bool(q.evidence.strip()) for q in scored_answers),
        missing_evidence=tuple(
            q.question_id
            for q in questions
            if q.evidence_expected and q.status in ANSWERED_STATES and not q.evidence.strip()
        ),
        marked_for_review=tuple(
            q.question_id
            for q in questions
            if q.marked_for_review and q.status != AnswerStatus.HIDDEN
        ),
    )


def _counts_for_completeness(question_set: QuestionSet, result: QuestionResult) -> bool:
    if result.status in {AnswerStatus.HIDDEN, AnswerStatus.NOT_APPLICABLE}:
        return False
    return not isinstance(question_set.question(result.question_id), TextQuestion)


ANSWERED_STATES = {AnswerStatus.ANSWERED, AnswerStatus.DONT_KNOW}


def _question_result(
    section: Section, question: Question, answer: Answer | None, shown: bool, notes: Answer | None
) -> QuestionResult:
    question_score = question.score(answer) if answer is not None and question.scored else None
    return QuestionResult(
        question_id=question.id,
        section_id=section.id,
        text=question.text,
        status=_status(answer) if shown else AnswerStatus.HIDDEN,
        scored=question.scored,
        weight=question.weight,
        score=question_score,
        answer=question.describe(answer) if answer is not None else None,
        comment=notes.comment if notes is not None else "",
        evidence=notes.evidence if notes is not None else "",
        evidence_checked=notes.checked if notes is not None else None,
        evidence_expected=question.evidence == "expected",
        marked_for_review=bool(notes and notes.marked),
    )


def _section_result(section: Section, shown: bool, results: list[QuestionResult]) -> SectionResult:
    scored = [(q.score, q.weight) for q in results if q.score is not None]
    mean = _weighted_mean(scored)
    countable = [
        q for q in results if q.status not in {AnswerStatus.HIDDEN, AnswerStatus.NOT_APPLICABLE}
    ]
    return SectionResult(
        id=section.id,
        title=section.title,
        weight=section.effective_weight,
        visible=shown,
        score=None if mean is None else mean * 100,
        applicable=len(countable),
        answered=sum(q.status != AnswerStatus.UNANSWERED for q in countable),
        scored=len(scored),
    )


def _weakness(
    section: Section, question: Question, result: QuestionResult, answer: Answer
) -> FoundWeakness | None:
    if result.score is None or result.score >= FULL:
        return None
    found = question.weakness
    value, explained = rules.priority(found.severity, section.weight, question.weight, result.score)
    return FoundWeakness(
        question_id=question.id,
        section_id=result.section_id,
        question=question.text,
        title=found.title,
        severity=found.severity,
        why=found.why,
        score=result.score,
        weight=question.weight,
        section_weight=section.weight,
        priority=value,
        priority_explained=explained,
        answer=result.answer or "",
        information_gap=answer.status is AnswerStatus.DONT_KNOW,
        comment=answer.comment,
        mitigations=question.mitigations,
        threats=question.threats,
        references=question.references,
    )
