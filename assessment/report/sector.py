"""The sector figures as files: JSON (the figures as they are published), CSV (one row per
figure, cells safe for spreadsheets) and the HTML of the sector report's PDF.

Only ``services.sector_model.Figures`` reach here: what the privacy rules allowed, already
rounded. Nothing about any one organisation exists at this point to be shown by mistake.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

from assessment.questionset import QuestionSet
from assessment.services.sector_model import Figures, Spread

from .document import _environment, _stylesheet
from .exports import table_csv

FORMAT = 1


def figures_data(figures: Figures, about: dict) -> dict:
    """Plain data: ``about`` says what was asked for (version, filters) and the rules."""
    data = dataclasses.asdict(figures)
    data["view"] = {"kind": figures.view.kind or None, "country": figures.view.country or None}
    data["views"] = [{"kind": v.kind or None, "country": v.country or None} for v in figures.views]
    return {"format": FORMAT, "about": about, "figures": data}


def figures_json(figures: Figures, about: dict) -> str:
    return json.dumps(figures_data(figures, about), indent=2, ensure_ascii=False) + "\n"


def _spread_cells(spread: Spread | None) -> list[object]:
    if spread is None:
        return ["suppressed", "", "", ""]
    return [spread.organisations, spread.q1, spread.median, spread.q3]


def figures_csv(figures: Figures) -> str:
    """Every published figure, one row each; suppressed ones say so."""
    header = ["figure", "id", "label", "category", "value", "organisations", "q1", "median", "q3"]
    if not figures.published:
        return table_csv(header, [["sector", "", "", "", figures.reason, "", "", "", ""]])
    n = figures.organisations
    rows: list[list[object]] = [["overall score", "", "", "", "", *_spread_cells(figures.overall)]]
    for s in figures.sections:
        rows.append(["section score", s.id, s.title, "", "", *_spread_cells(s.spread)])
    for q in figures.questions:
        rows += [["answer %", q.id, q.text, a.label, a.share, n, "", "", ""] for a in q.shares]
    for w in figures.weaknesses:
        rows.append(["open weakness %", w.question_id, w.title, w.severity, w.share, n, "", "", ""])
    for t in figures.threats:
        rows += [["exposure %", t.id, t.title, a.label, a.share, n, "", "", ""] for a in t.shares]
    for y in figures.trend:
        change = "" if y.change is None else y.change
        rows.append(["overall score by year", y.year, "", "", change, *_spread_cells(y.spread)])
    return table_csv(header, rows)


def render_sector_html(
    question_set: QuestionSet, figures: Figures, about: dict, classification: str, label: str
) -> str:
    """The sector report: cover, the common weaknesses with their mitigations, the scores'
    spread, exposure to threats, the trend, every answer distribution, the method and the
    privacy rules. Figures only: the template is given nothing about any one organisation."""
    mitigations = {
        w.question_id: [
            question_set.mitigation(m) for m in question_set.question(w.question_id).mitigations
        ]
        for w in figures.weaknesses
    }
    why = {
        w.question_id: question_set.question(w.question_id).weakness.why for w in figures.weaknesses
    }
    return (
        _environment()
        .get_template("report/sector.html")
        .render(
            css=_stylesheet(),
            question_set=question_set,
            figures=figures,
            about=about,
            classification=classification,
            label=label,
            mitigations=mitigations,
            why=why,
        )
    )


def generated_at() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
