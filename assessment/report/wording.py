"""The report's vocabulary in the current language: severities, levels, horizons, efforts,
exposures and the words for answers that are not a choice.

The scoring keeps its own English names (they are identifiers in the JSON export and the CLI's
output, and a result is cached per state whatever the language), so whatever prints them for a
reader asks here, at render time, inside the report's ``force_language`` or the request's
language. Each word is a literal in a ``gettext`` call, so that ``make translations`` finds it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext

from assessment.limits import AnswerStatus
from assessment.questionset import Answer, QuestionSet


def severity_labels() -> dict[str, str]:
    """As a heading or a tag: "Critical"."""
    return {"critical": _("Critical"), "high": _("High"), "medium": _("Medium"), "low": _("Low")}


def severity_words() -> dict[str, str]:
    """Inside a sentence: "(critical)"."""
    return {"critical": _("critical"), "high": _("high"), "medium": _("medium"), "low": _("low")}


def level_labels() -> dict[int, str]:
    """The levels' names (``scoring.rules.LEVELS``), by level."""
    return {
        5: _("Well protected"),
        4: _("Protected"),
        3: _("Partly protected"),
        2: _("Exposed"),
        1: _("Critically exposed"),
    }


def horizon_labels() -> dict[str, str]:
    """The horizons of the action plan (``questionset.document.HORIZONS``)."""
    return {
        "quick_win": _("Quick win"),
        "90_days": _("Within 90 days"),
        "12_months": _("Within 12 months"),
    }


def effort_labels() -> dict[str, str]:
    """An effort in a table column of its own."""
    # A context of their own: "High" effort and "High" severity agree with different nouns
    # in French and Spanish (élevé/élevée, alto/alta).
    return {
        "low": pgettext("effort", "Low"),
        "medium": pgettext("effort", "Medium"),
        "high": pgettext("effort", "High"),
    }


def effort_tags() -> dict[str, str]:
    """An effort beside a mitigation's title."""
    return {"low": _("low effort"), "medium": _("medium effort"), "high": _("high effort")}


def exposure_labels() -> dict[str, str]:
    """Exposure to a threat scenario (``scoring.coverage``)."""
    return {
        "exposed": _("Exposed"),
        "partly": _("Partly covered"),
        "covered": _("Covered"),
        "not_assessed": _("Not assessed"),
    }


def status_words() -> dict[str, str]:
    """The state of a question without an answer to show."""
    # "Don't know" as a status has a context of its own: the form's answer of the same words
    # ("answer") reads differently in some languages (nl: "Weet ik niet", a status "Onbekend").
    return {
        AnswerStatus.UNANSWERED: _("Unanswered"),
        AnswerStatus.DONT_KNOW: pgettext("status", "Don't know"),
        AnswerStatus.NOT_APPLICABLE: _("Not applicable"),
    }


# The types whose "don't know" and "not applicable" are flags of the question, described in
# the scoring's English words; a single choice's are choices, labelled by the set itself.
FLAGGED_TYPES = frozenset({"maturity", "multiple_choice", "number"})


def answer_words(
    question_set: QuestionSet, question_id: str, status: AnswerStatus, answer: str | None
) -> str:
    """An answer as a reader of this language reads it. The result holds the answer in the
    words of the question set (``Question.describe``): a choice's label, which is the set's
    own text and stays, or English words of the scoring's ("don't know", "not applicable", a
    maturity level, an empty checklist), which are put in this language here."""
    if answer is None or status == AnswerStatus.UNANSWERED:
        return status_words()[AnswerStatus.UNANSWERED]
    question = question_set.question(question_id)
    if question.type_name not in FLAGGED_TYPES:
        return answer
    if status in (AnswerStatus.DONT_KNOW, AnswerStatus.NOT_APPLICABLE):
        return status_words()[status]
    if question.type_name == "maturity":
        for number, level in enumerate(question.levels):
            if answer == question.describe(Answer(number)):
                return _("Level %(number)d: %(label)s", number=number, label=level.label)
    if question.type_name == "multiple_choice" and answer == question.describe(Answer(())):
        return _("None of these")
    return answer
