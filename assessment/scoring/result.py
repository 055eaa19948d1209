"""The result of scoring: plain frozen dataclasses that every output (web, PDF, JSON, CLI) reads.

Scores of questions are 0..1; scores of sections, frameworks and the whole set are 0..100.
``None`` means "nothing to score here" (all hidden, not applicable or unanswered), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assessment.limits import AnswerStatus


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    section_id: str
    text: str
    status: AnswerStatus  # one of the five, "hidden" when not asked
    scored: bool
    weight: float
    score: float | None  # 0..1 when it counts
    answer: str | None  # the answer in words
    comment: str = ""
    evidence: str = ""  # how we know: a document, a test record, a ticket
    evidence_checked: str | None = None  # ISO date the evidence was last checked
    evidence_expected: bool = False  # the question set says an auditor will ask for it
    marked_for_review: bool = False  # the team has not settled this answer


@dataclass(frozen=True)
class SectionResult:
    id: str
    title: str
    weight: float
    visible: bool
    score: float | None
    applicable: int  # questions that count towards completeness
    answered: int
    scored: int  # questions whose score is in the section score


@dataclass(frozen=True)
class FoundWeakness:
    """A weakness present in a result: the question's weakness (questionset.base.Weakness), with
    the answer that revealed it and its priority."""

    question_id: str
    section_id: str
    question: str
    title: str
    severity: str
    why: str
    score: float  # 0..1 of the answer given
    weight: float  # the question's
    section_weight: float
    priority: float
    priority_explained: str
    answer: str
    information_gap: bool  # the answer was "don't know"
    comment: str = ""
    mitigations: tuple[str, ...] = ()  # the first one is primary: it closes the weakness
    threats: tuple[str, ...] = ()
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionItem:
    mitigation_id: str
    title: str
    how: str
    effort: str
    horizon: str
    addresses: tuple[str, ...]  # question ids of every weakness it is named for
    priority: float  # the priority of the weaknesses it closes (as their primary mitigation)
    closes: tuple[str, ...] = ()  # question ids of the weaknesses it closes
    supports: tuple[str, ...] = ()  # those it is named for beside their primary mitigation
    share: float = 0.0  # ``priority`` as a share (0..1) of all open weaknesses' priority
    support_priority: float = 0.0  # the priority of the weaknesses it supports


@dataclass(frozen=True)
class Coverage:
    """How well the questions citing a reference (or a framework, or a group) are answered."""

    id: str
    title: str
    score: float | None
    questions: int  # applicable scored questions citing it
    answered: int


@dataclass(frozen=True)
class FrameworkCoverage(Coverage):
    groups: tuple[Coverage, ...] = ()
    references: tuple[Coverage, ...] = ()


@dataclass(frozen=True)
class ThreatExposure:
    id: str
    title: str
    exposure: str  # "exposed", "partly", "covered", "not_assessed"
    score: float | None
    enabling: tuple[str, ...]  # applicable questions whose weakness enables it
    present: tuple[str, ...]  # those with a weakness now


@dataclass(frozen=True)
class Maturity:
    """The level: the overall score's band, capped by open critical and high weaknesses."""

    level: int
    label: str
    band: int = 0  # the level the score alone would give
    capped: bool = False  # open weaknesses hold the level below the band


@dataclass(frozen=True)
class Result:
    questionnaire_id: str
    questionnaire_version: int
    questionnaire_title: str
    overall: float | None
    maturity: Maturity | None
    completeness: float  # 0..1
    applicable: int
    answered: int
    unanswered: tuple[str, ...]
    information_gaps: tuple[str, ...]
    not_applicable: tuple[str, ...]
    sections: tuple[SectionResult, ...]
    questions: tuple[QuestionResult, ...]
    weaknesses: tuple[FoundWeakness, ...]
    action_plan: tuple[ActionItem, ...]
    frameworks: tuple[FrameworkCoverage, ...]
    coverage: tuple[Coverage, ...]
    threats: tuple[ThreatExposure, ...]
    severity_counts: dict[str, int] = field(default_factory=dict)
    with_evidence: int = 0  # answered scored questions that say how we know
    missing_evidence: tuple[str, ...] = ()  # answered where evidence is expected, without it
    marked_for_review: tuple[str, ...] = ()  # asked questions the team marked for review

    @property
    def open_critical(self) -> int:
        return self.severity_counts.get("critical", 0)

    @property
    def open_high(self) -> int:
        return self.severity_counts.get("high", 0)

    def section(self, section_id: str) -> SectionResult:
        return next(s for s in self.sections if s.id == section_id)

    def question(self, question_id: str) -> QuestionResult:
        return next(q for q in self.questions if q.question_id == question_id)

    def actions_by_horizon(self) -> dict[str, list[ActionItem]]:
        grouped: dict[str, list[ActionItem]] = {"quick_win": [], "90_days": [], "12_months": []}
        for item in self.action_plan:
            grouped[item.horizon].append(item)
        return grouped
