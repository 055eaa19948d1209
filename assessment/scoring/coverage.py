"""Framework coverage and threat exposure, both read off the question results."""

from __future__ import annotations

from collections import defaultdict

from assessment.limits import AnswerStatus
from assessment.questionset import QuestionSet

from . import rules
from .result import Coverage, FoundWeakness, FrameworkCoverage, QuestionResult, ThreatExposure


def _applicable(results: list[QuestionResult] | tuple[QuestionResult, ...]) -> list[QuestionResult]:
    return [
        q
        for q in results
        if q.scored and q.status not in {AnswerStatus.HIDDEN, AnswerStatus.NOT_APPLICABLE}
    ]


def _summary(item_id: str, title: str, results: list[QuestionResult]) -> Coverage:
    counted = [(q.score, q.weight) for q in results if q.score is not None]
    total = sum(w for _, w in counted)
    score = sum(s * w for s, w in counted) / total * 100 if total > 0 else None
    return Coverage(item_id, title, score, questions=len(results), answered=len(counted))


def _citing(question_set: QuestionSet, results) -> dict[str, list[QuestionResult]]:
    citing: dict[str, list[QuestionResult]] = defaultdict(list)
    for result in _applicable(results):
        for reference_id in question_set.question(result.question_id).references:
            citing[reference_id].append(result)
    return citing


def reference_coverage(question_set: QuestionSet, results) -> tuple[Coverage, ...]:
    """Per reference id cited by an applicable scored question, in catalogue order."""
    citing = _citing(question_set, results)
    return tuple(
        _summary(ref.id, ref.title, citing[ref.id])
        for ref in question_set.references
        if ref.id in citing
    )


def framework_coverage(question_set: QuestionSet, results) -> tuple[FrameworkCoverage, ...]:
    """Per framework, per group within it, and per reference; a question counts once in each."""
    citing = _citing(question_set, results)
    frameworks = []
    for framework in question_set.frameworks:
        references = [
            r for r in question_set.references if r.framework == framework.id and r.id in citing
        ]
        if not references:
            continue
        groups: dict[str, dict[str, QuestionResult]] = defaultdict(dict)
        everything: dict[str, QuestionResult] = {}
        for ref in references:
            for result in citing[ref.id]:
                everything[result.question_id] = result
                if ref.group:
                    groups[ref.group][result.question_id] = result
        whole = _summary(framework.id, framework.title, list(everything.values()))
        frameworks.append(
            FrameworkCoverage(
                whole.id,
                whole.title,
                whole.score,
                whole.questions,
                whole.answered,
                groups=tuple(
                    _summary(name, name, list(members.values())) for name, members in groups.items()
                ),
                references=tuple(_summary(r.id, r.title, citing[r.id]) for r in references),
            )
        )
    return tuple(frameworks)


def threat_exposure(
    question_set: QuestionSet, results, weaknesses: list[FoundWeakness]
) -> tuple[ThreatExposure, ...]:
    """Per threat: its applicable enabling questions, those with a weakness, and a level."""
    weak = {w.question_id for w in weaknesses}
    enabling: dict[str, list[QuestionResult]] = defaultdict(list)
    for result in _applicable(results):
        for threat_id in question_set.question(result.question_id).threats:
            enabling[threat_id].append(result)
    exposures = []
    for threat in question_set.threats:
        members = enabling.get(threat.id, [])
        summary = _summary(threat.id, threat.title, members)
        present = tuple(q.question_id for q in members if q.question_id in weak)
        score = None if summary.score is None else summary.score / 100
        exposures.append(
            ThreatExposure(
                id=threat.id,
                title=threat.title,
                exposure=rules.exposure_for(score, len(present)),
                score=summary.score,
                enabling=tuple(q.question_id for q in members),
                present=present,
            )
        )
    return tuple(exposures)
