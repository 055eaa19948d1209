"""A Result turned into plain values for templates (the results page and the PDF).

Templates never see ORM objects or do look-ups: everything they print is prepared here, with
catalogue entries (mitigations, threats, references) resolved from the question-set version.
"""

from __future__ import annotations

from assessment.questionset import QuestionSet
from assessment.questionset.document import HORIZON_LABELS, HORIZONS
from assessment.scoring import Result

from .charts import bar_chart

SEVERITY_LABELS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
EXPOSURE_LABELS = {
    "exposed": "Exposed",
    "partly": "Partly covered",
    "covered": "Covered",
    "not_assessed": "Not assessed",
}


def verdict(result: Result) -> dict:
    """The headline every place shows beside the score: the level and, when open weaknesses
    hold it down, which ones (an average never hides a critical gap)."""
    if result.maturity is None:
        return {"sentence": "No scored question has been answered yet, so there is no score."}
    open_critical = [w.title.rstrip(".") for w in result.weaknesses if w.severity == "critical"]
    open_high = [w.title.rstrip(".") for w in result.weaknesses if w.severity == "high"]
    level = result.maturity
    sentence = f"Level {level.level} “{level.label}”"
    if level.capped:
        severity, holders = ("critical", open_critical) if open_critical else ("high", open_high)
        plural = "es are" if len(holders) != 1 else " is"
        holding = f"{len(holders)} {severity} weakness{plural}"
        cap = 2 if open_critical else 3
        sentence += (
            f": {holding} open, and while one is, the level is at most {cap} whatever the "
            f"average (the score alone would give level {level.band})"
        )
    return {
        "sentence": sentence + ".",
        "level": level.level,
        "label": level.label,
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
    where = "A key question" if weakness.weight >= 2 else "A question"
    if weakness.section_weight > 1:
        where += " in a heavily weighted section"
    elif weakness.section_weight < 1:
        where += " in a lightly weighted section"
    if weakness.information_gap:
        answer = "nobody could say whether the measure is in place"
    elif weakness.score <= 0:
        answer = "the measure is not in place"
    else:
        answer = "the measure is only partly in place"
    return f"{where}; {answer}."


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
        why = f"Closes “{first}” ({severity})" + (
            f" and {more} more weakness{'es' if more != 1 else ''}" if more else ""
        )
        items.append(
            {
                "number": numbers[action.mitigation_id],
                "action": action,
                "horizon": HORIZON_LABELS[action.horizon],
                "why": why + ".",
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
    plan = [
        {
            "horizon": h,
            "label": HORIZON_LABELS[h],
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
    return {
        "chart": bar_chart(
            [(s.title, s.score) for s in shown_sections],
            title="Score per section, 0 to 100",
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
                "label": EXPOSURE_LABELS[t.exposure],
            }
            for t in result.threats
        ],
        "severity_labels": SEVERITY_LABELS,
        "verdict": verdict(result),
        "quick_wins": len(by_horizon["quick_win"]),
    }
