"""The question set: metadata, catalogues and sections, as immutable pydantic models.

The models check each object on its own (types, ranges, a type's own rules). Checks that span
objects (duplicate ids, dangling references, ``show_if`` order) live in ``validate.py``, which
runs them on the raw file so that one pass reports every problem with its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PrivateAttr, Strict, model_validator

from .base import (
    Choice,
    Condition,
    FrameworkId,
    Id,
    LongText,
    Phrase,
    ReferenceId,
    StrictModel,
    Title,
    check_choices,
    one_after_another,
)
from .types import AnyQuestion, Question, SingleChoiceQuestion

MAX_SECTIONS = 100
MAX_QUESTIONS = 1000
MAX_MITIGATIONS = 1000
MAX_THREATS = 200
MAX_REFERENCES = 1000
# Versions count releases of one set; the bound keeps them inside every database's integer.
MAX_VERSION = 999_999

Effort = Literal["low", "medium", "high"]
Horizon = Literal["quick_win", "90_days", "12_months"]
HORIZONS: tuple[str, ...] = ("quick_win", "90_days", "12_months")
HORIZON_LABELS = {
    "quick_win": "Quick win",
    "90_days": "Within 90 days",
    "12_months": "Within 12 months",
}
Year = Annotated[int, Strict(), Field(ge=1900, le=2200)]


def _check_scale(choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """A scale is scored (every regular choice has a score) or a profile scale (none has).

    Checked per scale so that a problem is reported at the scale's own line.
    """
    regular = [c for c in choices if not (c.dont_know or c.not_applicable)]
    scored = [c for c in regular if c.score is not None]
    if scored and len(scored) < len(regular):
        missing = next(c.id for c in regular if c.score is None)
        raise ValueError(
            Phrase(
                "give every choice a score or none (a scale without scores is for profile "
                "questions, scored: false): choice '%(choice)s' has none",
                choice=missing,
            )
        )
    problems = check_choices(choices, scored=bool(scored))
    if problems:
        raise ValueError(one_after_another(problems))
    return choices


Scale = Annotated[tuple[Choice, ...], AfterValidator(_check_scale)]


class Framework(StrictModel):
    id: FrameworkId
    title: Title


class Reference(StrictModel):
    id: ReferenceId
    title: Title
    group: Title | None = None

    @property
    def framework(self) -> str:
        return self.id.split("-", 1)[0]


class Incident(StrictModel):
    year: Year
    until: Year | None = None
    title: LongText

    @property
    def years(self) -> str:
        return f"{self.year}-{self.until}" if self.until else str(self.year)


class Threat(StrictModel):
    id: Id
    title: Title
    description: LongText
    incidents: tuple[Incident, ...] = Field(default=(), max_length=50)


class Mitigation(StrictModel):
    id: Id
    title: Title
    how: LongText
    effort: Effort
    horizon: Horizon


class Section(StrictModel):
    id: Id
    title: Title
    description: LongText | None = None
    # 0 is allowed, and only meaningful, for a section with no scored question (a profile).
    weight: Annotated[float, Strict(), Field(ge=0, le=100)] = 1.0
    show_if: Condition | None = None
    questions: tuple[AnyQuestion, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _check_weight(self) -> Section:
        if self.weight == 0 and self.is_scored:
            raise ValueError(
                Phrase(
                    "weight 0 is for sections without scored questions (a profile); a section "
                    "with scored questions needs a weight above 0"
                )
            )
        return self

    @property
    def is_scored(self) -> bool:
        return any(question.scored for question in self.questions)

    @property
    def effective_weight(self) -> float:
        """The weight the overall score gives it: none for a section nothing in is scored."""
        return self.weight if self.is_scored else 0.0


class QuestionSet(StrictModel):
    schema_version: Literal[1]
    id: Id
    version: Annotated[int, Strict(), Field(ge=1, le=MAX_VERSION)]
    title: Title
    description: LongText | None = None
    language: Annotated[str, Strict(), Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    frameworks: tuple[Framework, ...] = Field(default=(), max_length=50)
    references: tuple[Reference, ...] = Field(default=(), max_length=MAX_REFERENCES)
    threats: tuple[Threat, ...] = Field(default=(), max_length=MAX_THREATS)
    mitigations: tuple[Mitigation, ...] = Field(default=(), max_length=MAX_MITIGATIONS)
    scales: dict[Id, Scale] = Field(default_factory=dict, max_length=50)
    sections: tuple[Section, ...] = Field(min_length=1, max_length=MAX_SECTIONS)
    _questions: dict[str, tuple[Section, Question]] = PrivateAttr(default_factory=dict)
    _sections: dict[str, Section] = PrivateAttr(default_factory=dict)
    _by_id: dict[str, dict] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _resolve_scales(self) -> QuestionSet:
        for question in self.questions():
            if isinstance(question, SingleChoiceQuestion) and question.scale in self.scales:
                question.resolve_scale(self.scales[question.scale])
        # Look-up tables, built once; private attributes are not part of the file format.
        self._questions = {q.id: (s, q) for s in self.sections for q in s.questions}
        self._sections = {s.id: s for s in self.sections}
        self._by_id = {
            name: {item.id: item for item in getattr(self, name)}
            for name in ("mitigations", "threats", "references", "frameworks")
        }
        return self

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    # Look-ups read the private tables through ``__pydantic_private__``: pydantic's attribute
    # hook would cost about 3 µs a call, and pages and scoring make thousands of these calls.

    def question(self, question_id: str) -> Question:
        return self.__pydantic_private__["_questions"][question_id][1]

    def section_of(self, question_id: str) -> Section:
        return self.__pydantic_private__["_questions"][question_id][0]

    def has_question(self, question_id: str) -> bool:
        return question_id in self.__pydantic_private__["_questions"]

    def section(self, section_id: str) -> Section:
        return self.__pydantic_private__["_sections"][section_id]

    def has_section(self, section_id: str) -> bool:
        return section_id in self.__pydantic_private__["_sections"]

    def _entry(self, kind: str, entry_id: str):
        return self.__pydantic_private__["_by_id"][kind][entry_id]

    def mitigation(self, mitigation_id: str) -> Mitigation:
        return self._entry("mitigations", mitigation_id)

    def threat(self, threat_id: str) -> Threat:
        return self._entry("threats", threat_id)

    def reference(self, reference_id: str) -> Reference:
        return self._entry("references", reference_id)

    def framework(self, framework_id: str) -> Framework:
        return self._entry("frameworks", framework_id)

    def to_data(self) -> dict:
        """Plain data in the file format; ``QuestionSet.model_validate`` reads it back equal."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude_none=True)
