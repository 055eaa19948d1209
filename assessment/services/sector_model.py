"""What the sector view publishes and what it is computed from: plain frozen dataclasses, with
no organisation's name, comment, evidence or free text anywhere in them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from .sector_privacy import MIN_GROUP_FLOOR, View


@dataclass(frozen=True)
class Profile:
    """What one completed assessment contributes: figures and categories only."""

    overall: float | None
    sections: Mapping[str, float | None]
    answers: Mapping[str, frozenset[str]]  # question id -> the categories its answer is in
    weaknesses: frozenset[str]  # question ids of its open weaknesses
    threats: Mapping[str, str]  # threat id -> exposure


@dataclass(frozen=True)
class Contribution:
    organisation: int  # opaque: tells organisations apart, never published
    kind: str
    country: str
    completed: datetime
    profile: Profile

    @property
    def year(self) -> int:
        return self.completed.year


@dataclass(frozen=True)
class Spread:
    """Quartiles of a score (whole numbers) over ``organisations``."""

    organisations: int
    q1: int
    median: int
    q3: int


@dataclass(frozen=True)
class SectionFigure:
    id: str
    title: str
    spread: Spread | None  # None: suppressed (not enough organisations with a score)


@dataclass(frozen=True)
class Share:
    label: str
    share: int  # per cent, in steps of 5


@dataclass(frozen=True)
class QuestionFigure:
    id: str
    section: str
    text: str
    multiple: bool  # shares of organisations ticking each item (they add up to more than 100)
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class WeaknessFigure:
    question_id: str
    title: str
    severity: str
    share: int
    mitigations: tuple[str, ...]  # titles, the primary first


@dataclass(frozen=True)
class ThreatFigure:
    id: str
    title: str
    shares: tuple[Share, ...]  # one per exposure


@dataclass(frozen=True)
class YearFigure:
    year: int
    spread: Spread | None  # the overall score's; None: suppressed that year
    change: int | None = None  # the median's change since the previous year shown


@dataclass(frozen=True)
class Figures:
    """What an analyst sees for one view of one question-set version."""

    view: View
    published: bool
    organisations: int | None  # None when not published
    views: tuple[View, ...]  # every view published for this version
    overall: Spread | None = None
    sections: tuple[SectionFigure, ...] = ()
    questions: tuple[QuestionFigure, ...] = ()
    weaknesses: tuple[WeaknessFigure, ...] = ()
    threats: tuple[ThreatFigure, ...] = ()
    trend: tuple[YearFigure, ...] = ()
    reason: str | None = None
    min_group: int = MIN_GROUP_FLOOR


@dataclass(frozen=True)
class SectionStanding:
    id: str
    title: str
    own: float | None
    spread: Spread | None  # the sector's; None: suppressed


@dataclass(frozen=True)
class WeaknessStanding:
    question_id: str
    title: str
    severity: str
    share: int  # of the sector's organisations with it open, in steps of 5 %


@dataclass(frozen=True)
class Comparison:
    available: bool
    reason: str | None = None
    organisations: int | None = None
    sections: tuple[SectionStanding, ...] = ()
    common: tuple[WeaknessStanding, ...] = ()
    rare: tuple[WeaknessStanding, ...] = ()
    min_group: int = MIN_GROUP_FLOOR
