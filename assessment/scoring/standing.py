"""An assessment's standing: the few figures every page shows (score, level, open critical and
high weaknesses, progress per section, which questions are not asked, how many answers wait for
a re-check or a review).

It is derived from the result and stored with the assessment each time its answers change
(``services.assessments``), so that lists and section pages read it instead of scoring every
assessment on every request. ``FORMAT`` is raised whenever what it holds or how scoring works
changes: a stored standing of another format is computed again when next read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from assessment.limits import AnswerStatus

from .result import Result

FORMAT = 2  # 2: levels capped by open critical and high weaknesses, posture names


@dataclass(frozen=True)
class SectionProgress:
    answered: int
    applicable: int
    shown: bool

    @property
    def complete(self) -> bool:
        return self.shown and self.answered >= self.applicable


@dataclass(frozen=True)
class Standing:
    overall: float | None = None
    level: int | None = None
    label: str | None = None
    open_critical: int = 0
    open_high: int = 0
    answered: int = 0
    applicable: int = 0
    recheck: int = 0  # answers copied from a previous assessment, not yet confirmed
    marked: int = 0  # answers marked for review
    sections: dict[str, SectionProgress] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()  # questions not asked under the profile's answers

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.applicable) if self.applicable else 100

    @property
    def partial(self) -> bool:
        """Some applicable questions are unanswered: the score covers only part of the set."""
        return self.answered < self.applicable

    def shown_sections(self) -> list[str]:
        return [sid for sid, s in self.sections.items() if s.shown]

    def to_data(self) -> dict:
        data = asdict(self)
        data["sections"] = {
            sid: [s.answered, s.applicable, s.shown] for sid, s in self.sections.items()
        }
        data["hidden"] = sorted(self.hidden)
        return data

    @classmethod
    def from_data(cls, data: dict) -> Standing:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["sections"] = {
            sid: SectionProgress(*counts) for sid, counts in (data.get("sections") or {}).items()
        }
        values["hidden"] = frozenset(data.get("hidden") or ())
        return cls(**values)


def standing_of(result: Result, *, recheck: int = 0, marked: int = 0) -> Standing:
    """The standing of a result, with the record counts the result does not hold."""
    return Standing(
        overall=result.overall,
        level=result.maturity.level if result.maturity else None,
        label=result.maturity.label if result.maturity else None,
        open_critical=result.severity_counts.get("critical", 0),
        open_high=result.severity_counts.get("high", 0),
        answered=result.answered,
        applicable=result.applicable,
        recheck=recheck,
        marked=marked,
        sections={
            s.id: SectionProgress(s.answered, s.applicable, s.visible) for s in result.sections
        },
        hidden=frozenset(
            q.question_id for q in result.questions if q.status == AnswerStatus.HIDDEN
        ),
    )
