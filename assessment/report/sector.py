"""The sector figures as files: JSON (the figures as they are published), CSV (one row per
figure, cells safe for spreadsheets) and the HTML of the sector report's PDF.

Only ``services.sector_model.Figures`` reach here: what the privacy rules allowed, already
rounded. Nothing about any one organisation exists at this point to be shown by mistake.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import pgettext

from assessment import i18n
from assessment.questionset import QuestionSet
from assessment.services.sector_model import Figures, Spread

from . import filters, wording
from .context import EXPOSURE_LABELS
from .document import _environment
from .exports import table_csv
from .styles import styles

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
    privacy rules. Figures only: the template is given nothing about any one organisation.
    It is in the current language (the analyst's), which its ``lang`` says; the set's texts
    are marked with the set's language where that differs."""
    mitigations = {
        w.question_id: [
            question_set.mitigation(m) for m in question_set.question(w.question_id).mitigations
        ]
        for w in figures.weaknesses
    }
    why = {
        w.question_id: question_set.question(w.question_id).weakness.why for w in figures.weaknesses
    }
    language = i18n.current_language()
    return (
        _environment()
        .get_template("report/sector.html")
        .render(
            css=styles(),
            language=language,
            set_language="" if question_set.language == language else question_set.language,
            question_set=question_set,
            figures=figures,
            about=about,
            classification=classification,
            label=label,
            mitigations=mitigations,
            why=why,
            severity_labels=wording.severity_labels(),
            effort_tags=wording.effort_tags(),
            our_words=_our_words(question_set),
        )
    )


def _our_words(question_set: QuestionSet) -> dict[str, str]:
    """The figures' labels that are ours, not the set's (exposures, maturity levels, and the
    answers that are not a choice: services.sector keeps them in English), in the current
    language."""
    exposures = wording.exposure_labels()
    words = {english: exposures[key] for key, english in EXPOSURE_LABELS.items()}
    for question in question_set.questions():
        for number, level in enumerate(getattr(question, "levels", None) or ()):
            words[f"Level {number}: {level.label}"] = _(
                "Level %(number)d: %(label)s", number=number, label=level.label
            )
    return words | {
        "Don't know": pgettext("status", "Don't know"),  # as wording.status_words says it
        "Not applicable": _("Not applicable"),
        "Not answered": _("Not answered"),
        "Not asked (profile)": _("Not asked (profile)"),
        "Nothing ticked": _("Nothing ticked"),
    }


def generated_at() -> str:
    """Now, as the current language writes a moment (``filters.when``)."""
    return filters.when(datetime.now(UTC))
