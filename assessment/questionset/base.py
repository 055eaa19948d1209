"""Building blocks shared by the question-set model and the question types.

Everything here is immutable and free of Flask and the database, so the same objects serve the
loader, the scoring function, the web forms and the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

from assessment.limits import (
    FRAMEWORK_PATTERN,
    ID_PATTERN,
    MAX_ID,
    MAX_TEXT,
    MAX_TITLE,
    REFERENCE_PATTERN,
    AnswerStatus,
)

Id = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID)]
ReferenceId = Annotated[str, Strict(), StringConstraints(pattern=REFERENCE_PATTERN, max_length=60)]
FrameworkId = Annotated[str, Strict(), StringConstraints(pattern=FRAMEWORK_PATTERN, max_length=30)]
Title = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=MAX_TITLE)]
LongText = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=MAX_TEXT)]
Score = Annotated[float, Strict(), Field(ge=0, le=1)]
Weight = Annotated[float, Strict(), Field(gt=0, le=100)]
Severity = Literal["critical", "high", "medium", "low"]

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
DONT_KNOW = AnswerStatus.DONT_KNOW.value
NOT_APPLICABLE = AnswerStatus.NOT_APPLICABLE.value


class StrictModel(BaseModel):
    """Unknown keys are errors and objects never change once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(StrictModel):
    """Show a section or question only when an earlier choice question has one of these answers."""

    question: Id
    in_: tuple[Id, ...] = Field(alias="in", min_length=1, max_length=50)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Weakness(StrictModel):
    """What a poor answer reveals, written for the reader of the report."""

    title: Title
    severity: Severity
    why: LongText


class Choice(StrictModel):
    """One answer option. ``score`` is absent only for flags and unscored questions."""

    id: Id
    label: Title
    description: LongText | None = None
    score: Score | None = None
    dont_know: Annotated[bool, Strict()] = False
    not_applicable: Annotated[bool, Strict()] = False


@dataclass(frozen=True)
class Answer:
    """A normalised answer: ``value`` has the type's own shape (choice id, level, ids, number)."""

    value: Any
    status: AnswerStatus = AnswerStatus.ANSWERED
    comment: str = ""
    evidence: str = ""  # how we know: a document, a test record, a ticket
    checked: str | None = None  # ISO date (YYYY-MM-DD) the evidence was last checked
    marked: bool = False  # the team marked it for review: not settled yet

    @property
    def given(self) -> bool:
        """An answer was chosen (UNANSWERED carries only a comment or evidence)."""
        return self.status != AnswerStatus.UNANSWERED


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says what would.

    The message is a gettext template with named parameters (extracted by `make translations`
    under the keyword ``AnswerError``), so the web layer can show it in the page's language;
    ``str()`` is the English text, for the CLI."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params if params else template)
        self.template = template
        self.params = params


class Phrase(str):
    """Words of ours that a page says in its own language: a problem in a question set, what
    changed between two versions. The str itself is the English text (the CLI, ``str(problem)``,
    equality and ordering, the tests), and it keeps how it was made.

    Like AnswerError's message, ``template`` is a gettext template with named ``%(name)s``
    parameters, extracted by `make translations` under the keyword ``Phrase`` (so every message
    is written ``Phrase("...", name=value)``). A parameter that is a Phrase itself (who it is
    about, one problem of several) is said in the page's language too; any other (an id, a
    value, a key of the file, the set's own text) is shown as it is
    (``web/common/phrases.say``). No Flask here: questionset/ is pure.
    """

    __slots__ = ("params", "template", "translated")

    def __new__(cls, template: str, /, **params: object) -> Phrase:
        # Always formatted, as gettext formats every message (%% is one %).
        text = super().__new__(cls, template % params)
        text.template, text.params, text.translated = template, params, True
        return text

    @classmethod
    def joined(cls, template: str, params: dict[str, object]) -> Phrase:
        """Parts put together by a template that is no message (only the parts are said)."""
        text = cls(template, **params)
        text.translated = False
        return text

    def __reduce__(self):  # a copy (or a pickle) keeps the template, not only the English
        return (_rebuilt, (self.template, self.params, self.translated))


def _rebuilt(template: str, params: dict[str, object], translated: bool) -> Phrase:
    return Phrase(template, **params) if translated else Phrase.joined(template, params)


class Number(float):
    """A number inside our words (a score, a band's bound): English as ``%g`` writes it ("14",
    "0.75"), and a number to the page, which writes it with the locale's decimal mark."""

    def __str__(self) -> str:
        return f"{self:g}"

    __repr__ = __str__


def about(subject: str, problem: str) -> Phrase:
    """Says "subject: problem": "question 'q1': ..." or "choices[0].score: ...". The pattern is
    translated too, because French puts a space before the colon."""
    return Phrase("%(subject)s: %(problem)s", subject=subject, problem=problem)


def one_after_another(phrases: list[Phrase]) -> Phrase:
    """Several phrases as one text, "a; b; c" (not empty): the problems of one object, the
    score bands of a number question."""
    text = phrases[0]
    for then in phrases[1:]:
        text = Phrase("%(first)s; %(then)s", first=text, then=then)
    return text


def check_choices(
    choices: tuple[Choice, ...], *, scored: bool, best_is_one: bool = True
) -> list[Phrase]:
    """Problems with a list of choices (inline, a scale or a checklist), as messages."""
    problems = []
    ids = [choice.id for choice in choices]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Phrase("choice id '%(id)s' is used twice", id=duplicate))
    regular = [c for c in choices if not (c.dont_know or c.not_applicable)]
    if len(regular) < 2 and scored:
        problems.append(
            Phrase("a question needs at least two choices besides don't know/not applicable")
        )
    for choice in choices:
        if choice.dont_know and choice.not_applicable:
            problems.append(
                Phrase("choice '%(id)s' cannot be both dont_know and not_applicable", id=choice.id)
            )
        if (choice.dont_know or choice.not_applicable) and choice.score is not None:
            problems.append(
                Phrase(
                    "choice '%(id)s' is a don't know/not applicable choice and takes no score",
                    id=choice.id,
                )
            )
        if scored and not (choice.dont_know or choice.not_applicable) and choice.score is None:
            problems.append(Phrase("choice '%(id)s' needs a score between 0 and 1", id=choice.id))
    scores = [c.score for c in regular if c.score is not None]
    if best_is_one and scored and scores and max(scores) != 1:
        problems.append(
            Phrase(
                "the best choice must score 1 (the highest is %(highest)s)",
                highest=f"{max(scores):g}",
            )
        )
    return problems
