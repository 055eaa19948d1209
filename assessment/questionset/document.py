"""The question set: metadata, catalogues and sections, as immutable pydantic models.

The models check each object on its own (types, ranges, a type's own rules). Checks that span
objects (duplicate ids, dangling references, ``show_if`` order) live in ``validate.py``, which
runs them on the raw file so that one pass reports every problem with its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, Strict, model_validator

from .base import (
    Choice,
    Condition,
    FrameworkId,
    Id,
    LongText,
    ReferenceId,
    StrictModel,
    Title,
    Weight,
    check_choices,
)
from .types import AnyQuestion, Question, SingleChoiceQuestion

MAX_SECTIONS = 100
MAX_QUESTIONS = 1000
MAX_MITIGATIONS = 1000
MAX_THREATS = 200
MAX_REFERENCES = 1000

Effort = Literal["low", "medium", "high"]
Horizon = Literal["quick_win", "90_days", "12_months"]
HORIZONS: tuple[str, ...] = ("quick_win", "90_days", "12_months")
HORIZON_LABELS = {
    "quick_win": "Quick win",
    "90_days": "Within 90 days",
    "12_months": "Within 12 months",
}
Year = Annotated[int, Strict(), Field(ge=1900, le=2200)]


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
    weight: Weight = 1.0
    show_if: Condition | None = None
    questions: tuple[AnyQuestion, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)


class QuestionSet(StrictModel):
    schema_version: Literal[1]
    id: Id
    version: Annotated[int, Strict(), Field(ge=1)]
    title: Title
    description: LongText | None = None
    language: Annotated[str, Strict(), Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    frameworks: tuple[Framework, ...] = Field(default=(), max_length=50)
    references: tuple[Reference, ...] = Field(default=(), max_length=MAX_REFERENCES)
    threats: tuple[Threat, ...] = Field(default=(), max_length=MAX_THREATS)
    mitigations: tuple[Mitigation, ...] = Field(default=(), max_length=MAX_MITIGATIONS)
    scales: dict[Id, tuple[Choice, ...]] = Field(default_factory=dict, max_length=50)
    sections: tuple[Section, ...] = Field(min_length=1, max_length=MAX_SECTIONS)
    _questions: dict[str, tuple[Section, Question]] = PrivateAttr(default_factory=dict)
    _sections: dict[str, Section] = PrivateAttr(default_factory=dict)
    _by_id: dict[str, dict] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _resolve_scales(self) -> QuestionSet:
        for name, choices in self.scales.items():
            problems = check_choices(choices, scored=True)
            if problems:
                raise ValueError(f"scale '{name}': " + "; ".join(problems))
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
