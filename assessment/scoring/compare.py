"""Comparing two results: last year's assessment with this year's.

Results of different versions of a question set are matched by section and question id, which
are stable across versions; what exists in only one of them is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.limits import AnswerStatus

from .result import Result


@dataclass(frozen=True)
class SectionChange:
    id: str
    title: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    overall_before: float | None
    overall_after: float | None
    sections: tuple[SectionChange, ...]
    new_weaknesses: tuple[str, ...]  # question ids weak now, not before
    resolved_weaknesses: tuple[str, ...]  # weak before; now answered well or not applicable
    persisting_weaknesses: tuple[str, ...]
    not_reassessed: tuple[str, ...]  # weak before; now unanswered or hidden
    dropped_questions: tuple[str, ...]  # weak before, no longer in the question set
    same_version: bool

    @property
    def overall_delta(self) -> float | None:
        if self.overall_before is None or self.overall_after is None:
            return None
        return self.overall_after - self.overall_before


def compare(before: Result, after: Result) -> Comparison:
    if before.questionnaire_id != after.questionnaire_id:
        raise ValueError("only results of the same question set can be compared")
    before_sections = {s.id: s for s in before.sections}
    sections = tuple(
        SectionChange(
            s.id, s.title, before_sections[s.id].score if s.id in before_sections else None, s.score
        )
        for s in after.sections
    )
    weak_before = [w.question_id for w in before.weaknesses]
    weak_after = {w.question_id for w in after.weaknesses}
    status_now = {q.question_id: q.status for q in after.questions}
    settled = {AnswerStatus.ANSWERED, AnswerStatus.NOT_APPLICABLE}
    return Comparison(
        overall_before=before.overall,
        overall_after=after.overall,
        sections=sections,
        new_weaknesses=tuple(
            w.question_id for w in after.weaknesses if w.question_id not in set(weak_before)
        ),
        resolved_weaknesses=tuple(
            q for q in weak_before if q not in weak_after and status_now.get(q) in settled
        ),
        persisting_weaknesses=tuple(q for q in weak_before if q in weak_after),
        not_reassessed=tuple(
            q
            for q in weak_before
            if q not in weak_after
            and status_now.get(q) in {AnswerStatus.UNANSWERED, AnswerStatus.HIDDEN}
        ),
        dropped_questions=tuple(q for q in weak_before if q not in status_now),
        same_version=before.questionnaire_version == after.questionnaire_version,
    )
