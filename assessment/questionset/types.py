"""The question types, pure half: one class per type, registered by name.

A type owns everything that differs between types: the keys it accepts, the checks on them, how a
raw answer is normalised and how it scores, the choices it shows, whether it can drive a
``show_if``, and the data a new question of the type starts from in the editor. The rest of the
code asks the registry and never tests ``question.type`` itself. The web half (form reader,
editor fields, template) is one adapter per type in ``assessment/web/question_types/``; a test
keeps the two registries equal. The README's contributor section lists the files a new type
needs.
"""

from __future__ import annotations

import functools
import math
import operator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PrivateAttr, Strict, model_validator
from pydantic_core import PydanticCustomError

from .base import (
    DONT_KNOW,
    MAX_TEXT,
    NOT_APPLICABLE,
    Answer,
    AnswerError,
    AnswerStatus,
    Choice,
    Condition,
    Id,
    LongText,
    Phrase,
    ReferenceId,
    Score,
    StrictModel,
    Title,
    Weakness,
    Weight,
    check_choices,
    one_after_another,
)

QUESTION_TYPES: dict[str, type[Question]] = {}


def register(cls: type[Question]) -> type[Question]:
    """Add a question class to the registry under its ``type`` literal."""
    QUESTION_TYPES[cls.type_name] = cls
    return cls


def _semantic(problems: list[Phrase]) -> None:
    """Refuse with every problem of the object. The text rides in the error's context, so the
    validator keeps its template and parameters (pydantic's own message is English only)."""
    if problems:
        raise PydanticCustomError("semantic", "{problem}", {"problem": one_after_another(problems)})


class Question(StrictModel):
    """Keys every question has. Subclasses add their own and say how they score."""

    type_name: ClassVar[str]
    type_label: ClassVar[str]
    # Whether an unscored question of this type may be named by a ``show_if``.
    can_drive_conditions: ClassVar[bool] = False

    id: Id
    text: LongText
    help: LongText | None = None
    weight: Weight = 1.0
    show_if: Condition | None = None
    # "expected": an auditor will ask for evidence behind the answer (a document, a test
    # record, a ticket); answers without it are listed among the report's information gaps.
    evidence: Literal["expected"] | None = None

    @property
    def scored(self) -> bool:
        return True

    def parse_answer(self, raw: Any) -> Answer:
        """Normalise a raw value (form, YAML or JSON); raise AnswerError if it does not fit."""
        raise NotImplementedError

    def score(self, answer: Answer) -> float | None:
        """0..1 for an answer; None when it leaves the weights (not applicable, unscored)."""
        raise NotImplementedError

    def describe(self, answer: Answer) -> str:
        """The answer in words, as the officer chose it."""
        raise NotImplementedError

    def best_answer(self) -> Answer:
        raise NotImplementedError

    def worst_answer(self) -> Answer:
        raise NotImplementedError

    def condition_ids(self) -> tuple[str, ...]:
        """Answer ids a ``show_if`` may name; empty when the type cannot drive a condition."""
        return ()

    @property
    def answer_choices(self) -> tuple[Choice, ...]:
        """The choices an officer picks from (empty for types answered otherwise)."""
        return ()

    def scoring_terms(self) -> dict:
        """How answers of this type become a score, for ``questionnaire show`` (beyond choices)."""
        return {}

    @property
    def offers_not_applicable(self) -> bool:
        """Whether "not applicable" is an answer here (it then needs a comment saying why)."""
        return False

    @classmethod
    def starter(cls) -> dict:
        """The type's own keys of a new question in the editor, before anything is typed."""
        return {}

    def matches(self, answer: Answer, ids: tuple[str, ...]) -> bool:
        """Whether an answer satisfies ``show_if: {in: ids}``."""
        return False


class ScoredQuestion(Question):
    """A question whose poor answer reveals a weakness with mitigations."""

    weakness: Weakness | None = None
    mitigations: tuple[Id, ...] = ()
    threats: tuple[Id, ...] = ()
    references: tuple[ReferenceId, ...] = ()

    @model_validator(mode="after")
    def _scored_needs_weakness(self) -> ScoredQuestion:
        if self.scored:
            missing = [
                k
                for k, v in (("weakness", self.weakness), ("mitigations", self.mitigations))
                if not v
            ]
            if len(missing) == 2:
                _semantic([Phrase("a scored question needs weakness and mitigations")])
            elif missing:
                _semantic([Phrase("a scored question needs %(key)s", key=missing[0])])
        elif self.weakness or self.mitigations or self.threats:
            _semantic(
                [
                    Phrase(
                        "an unscored question (scored: false) has no weakness, mitigations or "
                        "threats"
                    )
                ]
            )
        return self


class _FlaggedAnswers(ScoredQuestion):
    """Types whose don't know / not applicable answers are switched on by question flags."""

    dont_know: Annotated[bool, Strict()] = False
    not_applicable: Annotated[bool, Strict()] = False

    @property
    def offers_not_applicable(self) -> bool:
        return self.not_applicable

    def _special(self, raw: Any) -> Answer | None:
        if raw == DONT_KNOW:
            if not self.dont_know:
                raise AnswerError("this question has no 'don't know' answer")
            return Answer(None, AnswerStatus.DONT_KNOW)
        if raw == NOT_APPLICABLE:
            if not self.not_applicable:
                raise AnswerError("this question has no 'not applicable' answer")
            return Answer(None, AnswerStatus.NOT_APPLICABLE)
        return None

    @staticmethod
    def _special_score(answer: Answer) -> float | None:
        return 0.0 if answer.status is AnswerStatus.DONT_KNOW else None

    @staticmethod
    def _special_words(answer: Answer) -> str:
        return "Don't know" if answer.status is AnswerStatus.DONT_KNOW else "Not applicable"


class _Switchable(ScoredQuestion):
    """Choice types that may be unscored profile questions (``scored: false``): the only
    questions a ``show_if`` may name, so that a better answer never hides or reveals others."""

    can_drive_conditions: ClassVar[bool] = True

    scored_: Annotated[bool, Strict()] = Field(True, alias="scored")

    @property
    def scored(self) -> bool:
        return self.scored_


@register
class SingleChoiceQuestion(_Switchable):
    type_name: ClassVar[str] = "single_choice"
    type_label: ClassVar[str] = "Single choice"

    type: Literal["single_choice"]
    choices: tuple[Choice, ...] | None = Field(None, min_length=1, max_length=50)
    scale: Id | None = None
    _scale_choices: tuple[Choice, ...] = PrivateAttr(default=())

    @property
    def options(self) -> tuple[Choice, ...]:
        """The choices, inline or from the named scale."""
        if self.choices is not None:
            return self.choices
        return self.__pydantic_private__["_scale_choices"]  # fast path: no __getattr__

    @property
    def answer_choices(self) -> tuple[Choice, ...]:
        return self.options

    @property
    def offers_not_applicable(self) -> bool:
        return any(choice.not_applicable for choice in self.options)

    @classmethod
    def starter(cls) -> dict:
        return {
            "choices": [
                {"id": "yes", "label": "Yes", "score": 1},
                {"id": "partly", "label": "Partly", "score": 0.5},
                {"id": "no", "label": "No", "score": 0},
                {"id": "dont_know", "label": "Don't know", "dont_know": True},
            ]
        }

    def resolve_scale(self, choices: tuple[Choice, ...]) -> None:
        """Called once by QuestionSet: the scale's choices become this question's options."""
        self.__pydantic_private__["_scale_choices"] = choices  # frozen: not through setattr

    @model_validator(mode="after")
    def _check(self) -> SingleChoiceQuestion:
        if (self.choices is None) == (self.scale is None):
            _semantic([Phrase("give either choices or scale, not both or neither")])
        if self.choices is not None:
            problems = check_choices(self.choices, scored=self.scored)
            if not self.scored and any(c.score is not None for c in self.choices):
                problems.append(Phrase("an unscored question's choices take no score"))
            _semantic(problems)
        return self

    def _choice(self, choice_id: str) -> Choice:
        for choice in self.options:
            if choice.id == choice_id:
                return choice
        known = ", ".join(c.id for c in self.options)
        raise AnswerError(
            "'%(choice)s' is not a choice of this question (choices: %(known)s)",
            choice=choice_id,
            known=known,
        )

    def parse_answer(self, raw: Any) -> Answer:
        if not isinstance(raw, str):
            raise AnswerError("expected one choice id")
        choice = self._choice(raw)
        if choice.dont_know:
            return Answer(choice.id, AnswerStatus.DONT_KNOW)
        if choice.not_applicable:
            return Answer(choice.id, AnswerStatus.NOT_APPLICABLE)
        return Answer(choice.id)

    def score(self, answer: Answer) -> float | None:
        if not self.scored or answer.status is AnswerStatus.NOT_APPLICABLE:
            return None
        if answer.status is AnswerStatus.DONT_KNOW:
            return 0.0
        return self._choice(answer.value).score

    def describe(self, answer: Answer) -> str:
        return self._choice(answer.value).label

    def _ranked(self) -> list[Choice]:
        regular = [c for c in self.options if not (c.dont_know or c.not_applicable)]
        return sorted(regular, key=lambda c: c.score or 0.0)

    def best_answer(self) -> Answer:
        return Answer(self._ranked()[-1].id)

    def worst_answer(self) -> Answer:
        return Answer(self._ranked()[0].id)

    def condition_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.options)

    def matches(self, answer: Answer, ids: tuple[str, ...]) -> bool:
        return answer.value in ids


class Level(StrictModel):
    label: Title
    description: LongText | None = None


@register
class MaturityQuestion(_FlaggedAnswers):
    type_name: ClassVar[str] = "maturity"
    type_label: ClassVar[str] = "Maturity level"

    type: Literal["maturity"]
    levels: tuple[Level, ...] = Field(min_length=3, max_length=6)

    @property
    def top(self) -> int:
        return len(self.levels) - 1

    @classmethod
    def starter(cls) -> dict:
        return {"levels": [{"label": f"Level {n}"} for n in range(5)], "dont_know": True}

    def parse_answer(self, raw: Any) -> Answer:
        special = self._special(raw)
        if special:
            return special
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= self.top:
            raise AnswerError("expected a level from 0 to %(top)s", top=self.top)
        return Answer(raw)

    def score(self, answer: Answer) -> float | None:
        if answer.status is not AnswerStatus.ANSWERED:
            return self._special_score(answer)
        return answer.value / self.top

    def describe(self, answer: Answer) -> str:
        if answer.status is not AnswerStatus.ANSWERED:
            return self._special_words(answer)
        return f"Level {answer.value}: {self.levels[answer.value].label}"

    def scoring_terms(self) -> dict:
        # Level n of a scale 0..top scores n / top.
        return {
            "levels": [
                {"level": n, "label": lv.label, "score": round(n / self.top, 3)}
                for n, lv in enumerate(self.levels)
            ]
        }

    def best_answer(self) -> Answer:
        return Answer(self.top)

    def worst_answer(self) -> Answer:
        return Answer(0)


@register
class MultipleChoiceQuestion(_FlaggedAnswers, _Switchable):
    type_name: ClassVar[str] = "multiple_choice"
    type_label: ClassVar[str] = "Checklist"

    type: Literal["multiple_choice"]
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=50)

    @property
    def answer_choices(self) -> tuple[Choice, ...]:
        return self.choices

    @classmethod
    def starter(cls) -> dict:
        return {"choices": [], "dont_know": True}

    @model_validator(mode="after")
    def _check(self) -> MultipleChoiceQuestion:
        if not self.scored:
            problems = check_choices(self.choices, scored=False, best_is_one=False)
            if any(c.score is not None for c in self.choices):
                problems.append(Phrase("an unscored question's choices take no score"))
            _semantic(problems)
            return self
        problems = check_choices(self.choices, scored=True, best_is_one=False)
        if any(c.dont_know or c.not_applicable for c in self.choices):
            problems.append(
                Phrase(
                    "checklist items cannot be dont_know/not_applicable; set "
                    "dont_know: true or not_applicable: true on the question instead"
                )
            )
        total = sum(c.score or 0 for c in self.choices)
        if total < 1 - 1e-9:
            problems.append(
                Phrase(
                    "the items' scores add up to %(total)s; ticking every item must reach 1",
                    total=f"{total:g}",
                )
            )
        _semantic(problems)
        return self

    def parse_answer(self, raw: Any) -> Answer:
        special = self._special(raw)
        if special:
            return special
        if not isinstance(raw, list | tuple) or not all(isinstance(i, str) for i in raw):
            raise AnswerError("expected a list of choice ids")
        known = {c.id for c in self.choices}
        unknown = [i for i in raw if i not in known]
        if unknown:
            raise AnswerError("not choices of this question: %(ids)s", ids=", ".join(unknown))
        ordered = tuple(c.id for c in self.choices if c.id in set(raw))
        return Answer(ordered)

    def score(self, answer: Answer) -> float | None:
        if not self.scored:
            return None
        if answer.status is not AnswerStatus.ANSWERED:
            return self._special_score(answer)
        ticked = set(answer.value)
        return min(1.0, sum(c.score or 0 for c in self.choices if c.id in ticked))

    def describe(self, answer: Answer) -> str:
        if answer.status is not AnswerStatus.ANSWERED:
            return self._special_words(answer)
        labels = [c.label for c in self.choices if c.id in answer.value]
        return "; ".join(labels) if labels else "None of these"

    def best_answer(self) -> Answer:
        return Answer(tuple(c.id for c in self.choices))

    def worst_answer(self) -> Answer:
        return Answer(())

    def condition_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    def matches(self, answer: Answer, ids: tuple[str, ...]) -> bool:
        return answer.status is AnswerStatus.ANSWERED and bool(set(answer.value) & set(ids))


class Threshold(StrictModel):
    value: Annotated[float, Strict()]
    score: Score


@register
class NumberQuestion(_FlaggedAnswers):
    type_name: ClassVar[str] = "number"
    type_label: ClassVar[str] = "Number"

    type: Literal["number"]
    unit: Annotated[str, Strict(), Field(min_length=1, max_length=40)] | None = None
    min: Annotated[float, Strict()] | None = None
    max: Annotated[float, Strict()] | None = None
    better: Literal["lower", "higher"]
    thresholds: tuple[Threshold, ...] = Field(min_length=1, max_length=20)
    otherwise: Score = 0.0

    @classmethod
    def starter(cls) -> dict:
        return {"better": "lower", "thresholds": [{"value": 7, "score": 1}]}

    @model_validator(mode="after")
    def _check(self) -> NumberQuestion:
        problems = []
        values = [t.value for t in self.thresholds]
        scores = [t.score for t in self.thresholds]
        ascending = self.better == "lower"
        in_order = all(
            (a < b) if ascending else (a > b) for a, b in zip(values, values[1:], strict=False)
        )
        if not in_order and ascending:
            problems.append(Phrase("threshold values must rise down the list when better is lower"))
        elif not in_order:
            problems.append(
                Phrase("threshold values must fall down the list when better is higher")
            )
        if scores[0] != 1:
            problems.append(Phrase("the first threshold is the best band and must score 1"))
        if (
            any(b > a for a, b in zip(scores, scores[1:], strict=False))
            or self.otherwise > scores[-1]
        ):
            problems.append(Phrase("scores must not rise down the thresholds (nor in otherwise)"))
        if self.min is not None and self.max is not None and self.min >= self.max:
            problems.append(Phrase("min must be below max"))
        _semantic(problems)
        return self

    def parse_answer(self, raw: Any) -> Answer:
        special = self._special(raw)
        if special:
            return special
        if isinstance(raw, str):
            try:
                raw = float(raw.strip().replace(",", "."))
            except ValueError:
                raise AnswerError("expected a number") from None
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise AnswerError("expected a number")
        if (self.min is not None and raw < self.min) or (self.max is not None and raw > self.max):
            if self.min is not None and self.max is not None:
                raise AnswerError(
                    "expected a number from %(min)s to %(max)s",
                    min=f"{self.min:g}",
                    max=f"{self.max:g}",
                )
            if self.min is not None:
                raise AnswerError("expected a number of at least %(min)s", min=f"{self.min:g}")
            raise AnswerError("expected a number of at most %(max)s", max=f"{self.max:g}")
        return Answer(int(raw) if float(raw).is_integer() else float(raw))

    def score(self, answer: Answer) -> float | None:
        if answer.status is not AnswerStatus.ANSWERED:
            return self._special_score(answer)
        for band in self.thresholds:
            inside = (
                answer.value <= band.value if self.better == "lower" else answer.value >= band.value
            )
            if inside:
                return band.score
        return self.otherwise

    def describe(self, answer: Answer) -> str:
        if answer.status is not AnswerStatus.ANSWERED:
            return self._special_words(answer)
        if not self.unit:
            return f"{answer.value:g}"
        unit = self.unit
        if answer.value == 1 and unit.endswith("s") and not unit.endswith("ss"):
            unit = unit[:-1]  # "1 day", not "1 days" (units are written in the plural)
        return f"{answer.value:g} {unit}"

    def scoring_terms(self) -> dict:
        terms: dict = {
            "better": self.better,
            "thresholds": [{"value": t.value, "score": t.score} for t in self.thresholds],
            "otherwise": self.otherwise,
        }
        terms.update(
            {
                key: getattr(self, key)
                for key in ("unit", "min", "max")
                if getattr(self, key) is not None
            }
        )
        return terms

    def best_answer(self) -> Answer:
        return Answer(self.thresholds[0].value)

    def worst_answer(self) -> Answer:
        """Beyond the last band, within the accepted range."""
        last = self.thresholds[-1].value
        if self.better == "lower":
            value = self.max if self.max is not None else last + 1
        else:
            value = self.min if self.min is not None else last - 1
        return Answer(value)


@register
class TextQuestion(Question):
    type_name: ClassVar[str] = "text"
    type_label: ClassVar[str] = "Free text"

    type: Literal["text"]
    max_length: Annotated[int, Strict(), Field(ge=1, le=MAX_TEXT)] = MAX_TEXT

    @property
    def scored(self) -> bool:
        return False

    def parse_answer(self, raw: Any) -> Answer:
        if not isinstance(raw, str):
            raise AnswerError("expected text")
        if len(raw) > self.max_length:
            raise AnswerError(
                "the text is %(length)s characters; at most %(max)s",
                length=len(raw),
                max=self.max_length,
            )
        return Answer(raw)

    def score(self, answer: Answer) -> float | None:
        return None

    def describe(self, answer: Answer) -> str:
        return answer.value

    def best_answer(self) -> Answer:
        return Answer("")

    def worst_answer(self) -> Answer:
        return Answer("")


# The union pydantic dispatches on, built from the registry so a new type is added in one place.
AnyQuestion = Annotated[
    functools.reduce(operator.or_, QUESTION_TYPES.values()), Field(discriminator="type")
]
