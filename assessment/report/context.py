"""A Result turned into plain values for templates (the results page and the PDF).

Templates never see ORM objects or do look-ups: everything they print is prepared here, with
catalogue entries (mitigations, threats, references) resolved from the question-set version.
The sentences are made in the current language (the request's, or the report's inside
``i18n.force_language``); the question set's own texts are printed as the set gives them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from assessment.limits import AnswerStatus
from assessment.questionset import QuestionSet
from assessment.questionset.document import HORIZONS
from assessment.scoring import Result
from assessment.scoring.rules import CAPS

from . import wording
from .charts import bar_chart

# The English names, for the sector figures, which keep them in their shares; pages and reports
# print ``wording.exposure_labels()``.
EXPOSURE_LABELS = {
    "exposed": "Exposed",
    "partly": "Partly covered",
    "covered": "Covered",
    "not_assessed": "Not assessed",
}


def _held_down(level, severity: str, count: int) -> str:
    """The capped level's sentence: which open weaknesses hold it down, and to what."""
    values = {
        "level": level.level,
        "label": wording.level_labels()[level.level],
        "cap": CAPS[severity],
        "band": level.band,
    }
    if severity == "critical":
        return ngettext(
            "Level %(level)d “%(label)s”: %(num)d critical weakness is open, and while one is, "
            "the level is at most %(cap)d whatever the average (the score alone would give "
            "level %(band)d).",
            "Level %(level)d “%(label)s”: %(num)d critical weaknesses are open, and while one "
            "is, the level is at most %(cap)d whatever the average (the score alone would give "
            "level %(band)d).",
            count,
            **values,
        )
    return ngettext(
        "Level %(level)d “%(label)s”: %(num)d high weakness is open, and while one is, the "
        "level is at most %(cap)d whatever the average (the score alone would give level "
        "%(band)d).",
        "Level %(level)d “%(label)s”: %(num)d high weaknesses are open, and while one is, the "
        "level is at most %(cap)d whatever the average (the score alone would give level "
        "%(band)d).",
        count,
        **values,
    )


def verdict(result: Result) -> dict:
    """The headline every place shows beside the score: the level and, when open weaknesses
    hold it down, which ones (an average never hides a critical gap)."""
    if result.maturity is None:
        return {"sentence": _("No scored question has been answered yet, so there is no score.")}
    open_critical = [w.title.rstrip(".") for w in result.weaknesses if w.severity == "critical"]
    open_high = [w.title.rstrip(".") for w in result.weaknesses if w.severity == "high"]
    level = result.maturity
    label = wording.level_labels()[level.level]
    if level.capped:
        severity, holders = ("critical", open_critical) if open_critical else ("high", open_high)
        sentence = _held_down(level, severity, len(holders))
    else:
        sentence = _("Level %(level)d “%(label)s”.", level=level.level, label=label)
    return {
        "sentence": sentence,
        "level": level.level,
        "label": label,
        "capped": level.capped,
        "band": level.band,
        "open_critical": open_critical,
        "open_high": open_high,
    }


DECISIONS = 10  # actions on the board's page: what one meeting can decide on


def priority_reason(weakness) -> str:
    """Why a weakness ranks where it does, in words a director reads (its severity is printed
    beside it and the numbers are in the method appendix): how much its question and section
    count, and how far short the answer falls."""
    key = weakness.weight >= 2
    if weakness.section_weight > 1:
        where = (
            _("A key question in a heavily weighted section")
            if key
            else _("A question in a heavily weighted section")
        )
    elif weakness.section_weight < 1:
        where = (
            _("A key question in a lightly weighted section")
            if key
            else _("A question in a lightly weighted section")
        )
    else:
        where = _("A key question") if key else _("A question")
    if weakness.information_gap:
        answer = _("nobody could say whether the measure is in place")
    elif weakness.score <= 0:
        answer = _("the measure is not in place")
    else:
        answer = _("the measure is only partly in place")
    return _("%(where)s; %(answer)s.", where=where, answer=answer)


def decisions(result: Result, numbers: dict[str, int]) -> dict:
    """The actions that remove the most risk, whatever their horizon, for the board's page."""
    titles = {w.question_id: (w.title.rstrip("."), w.severity) for w in result.weaknesses}
    ranked = sorted(
        (a for a in result.action_plan if a.closes),
        key=lambda a: (-a.priority, -a.support_priority, numbers[a.mitigation_id]),
    )[:DECISIONS]
    items = []
    for action in ranked:
        first, severity = titles[action.closes[0]]
        more = len(action.closes) - 1
        named = {"weakness": first, "severity": wording.severity_words()[severity]}
        if more:
            why = ngettext(
                "Closes “%(weakness)s” (%(severity)s) and %(num)d more weakness.",
                "Closes “%(weakness)s” (%(severity)s) and %(num)d more weaknesses.",
                more,
                **named,
            )
        else:
            why = _("Closes “%(weakness)s” (%(severity)s).", **named)
        items.append(
            {
                "number": numbers[action.mitigation_id],
                "action": action,
                "horizon": wording.horizon_labels()[action.horizon],
                "why": why,
            }
        )
    return {"items": items, "share": sum(i["action"].share for i in items)}


def results_view(question_set: QuestionSet, result: Result, **chart_options) -> dict:
    """What the results page and the report show; ``chart_options`` size the SVG chart."""
    shown_sections = [s for s in result.sections if s.visible and s.scored]
    weaknesses = [
        {
            "weakness": w,
            "reason": priority_reason(w),
            "answer": wording.answer_words(
                question_set,
                w.question_id,
                AnswerStatus.DONT_KNOW if w.information_gap else AnswerStatus.ANSWERED,
                w.answer,
            ),
            "section": question_set.section_of(w.question_id).title,
            "mitigations": [question_set.mitigation(m) for m in w.mitigations],
            "threats": [question_set.threat(t) for t in w.threats],
            "references": [question_set.reference(r) for r in w.references],
        }
        for w in result.weaknesses
    ]
    by_horizon = result.actions_by_horizon()
    ordered = [a for horizon in HORIZONS for a in by_horizon[horizon]]
    numbers = {a.mitigation_id: n for n, a in enumerate(ordered, start=1)}
    weakness_titles = {w.question_id: w.title for w in result.weaknesses}
    horizons = wording.horizon_labels()
    plan = [
        {
            "horizon": h,
            "label": horizons[h],
            "items": [
                {
                    "action": a,
                    "number": numbers[a.mitigation_id],
                    "closes": [weakness_titles[q] for q in a.closes],
                    "supports": [weakness_titles[q] for q in a.supports],
                }
                for a in by_horizon[h]
            ],
        }
        for h in HORIZONS
    ]
    exposures = wording.exposure_labels()
    return {
        "chart": bar_chart(
            [(s.title, s.score) for s in shown_sections],
            title=_("Score per section, 0 to 100"),
            **chart_options,
        ),
        "sections": shown_sections,
        "weaknesses": weaknesses,
        "plan": plan,
        "action_numbers": numbers,
        "decisions": decisions(result, numbers),
        "frameworks": result.frameworks,
        "threats": [
            {
                "exposure": t,
                "threat": question_set.threat(t.id),
                "label": exposures[t.exposure],
            }
            for t in result.threats
        ],
        "severity_labels": wording.severity_labels(),
        "verdict": verdict(result),
        "quick_wins": len(by_horizon["quick_win"]),
    }
