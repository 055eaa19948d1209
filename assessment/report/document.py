"""The report as one self-contained HTML document (styles and charts inline), ready for
WeasyPrint or a browser. Used by the web download and ``port-assess report`` alike.

The templates get a context of plain values (``report_context``), never ORM objects, and are
rendered by an environment of our own with autoescaping on for every template name: Flask
escapes only .html and friends, and the report must not depend on a file name to be safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from assessment import paths
from assessment.limits import AnswerStatus
from assessment.questionset import QuestionSet
from assessment.scoring import Comparison, Result
from assessment.scoring.export import FORMAT_VERSION
from assessment.scoring.rules import CAPS, LEVELS, MATURITY_BANDS, SEVERITY_POINTS

from .context import results_view, verdict
from .exports import about_assessment, result_json
from .filters import TEMPLATE_FILTERS
from .pdf import Attachment, render_pdf_bounded

REPORT_FORMAT = 2  # raise when the report's layout changes, so caches are not reused
# Longer comments (and free-text answers) are shortened in the PDF, the full text staying in
# the answers CSV: 1,200 characters is about half a page, and keeps the largest valid
# assessment (129 questions, 5,000-character comments) a report that renders in well under
# the render limit (see tests/report/test_report_scale.py).
COMMENT_LIMIT = 1200


@dataclass(frozen=True)
class ReportMeta:
    organisation: str
    title: str
    scope: str = ""
    author: str = ""
    status: str = "in progress"
    classification: str = "TLP:AMBER+STRICT"
    assessment_date: str = ""
    previous_title: str | None = None
    generated_at: str = field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(paths.templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(TEMPLATE_FILTERS)
    environment.globals["AnswerStatus"] = AnswerStatus
    return environment


@lru_cache(maxsize=1)
def _stylesheet() -> Markup:
    """Our own stylesheet, inlined so the HTML is self-contained (it is not user input)."""
    css = (paths.templates_dir() / "report" / "report.css").read_text(encoding="utf-8")
    # Our own stylesheet file, not user text.
    return Markup(css)  # noqa: S704  # nosec B704


def executive_summary(question_set: QuestionSet, result: Result, meta: ReportMeta) -> list[str]:
    """The summary in plain sentences, as a port director would want it read out."""
    if result.overall is None:
        return ["No scored question has been answered yet, so there is no score."]
    gaps, unanswered = len(result.information_gaps), len(result.unanswered)
    headline = verdict(result)
    sentences = [
        f"{meta.organisation} scores {result.overall:.0f} out of 100. {headline['sentence']}"
    ]
    if headline["open_critical"]:
        sentences.append("Open critical weaknesses: " + "; ".join(headline["open_critical"]) + ".")
    if gaps or unanswered:
        sentences.append(
            f"{result.completeness * 100:.0f} % of applicable questions were answered; "
            f"{gaps} {'was' if gaps == 1 else 'were'} “don't know” and {unanswered} "
            f"{'was' if unanswered == 1 else 'were'} left unanswered; they are listed as "
            "information gaps."
        )
    else:
        sentences.append(
            f"All {result.applicable} applicable questions were answered, none with “don't know”."
        )
    top = result.weaknesses[:3]
    if top:
        listed = "; ".join(f"{w.title.rstrip('.')} ({w.severity})" for w in top)
        sentences.append(
            f"The {'top priority is' if len(top) == 1 else 'priorities are'}: {listed}."
        )
    else:
        sentences.append("No weaknesses were found in the answers given.")
    quick = [a for a in result.action_plan if a.horizon == "quick_win"]
    total = sum(w.priority for w in result.weaknesses)
    if quick and total:
        share = sum(a.priority for a in quick) / total * 100
        sentences.append(
            f"{len(quick)} quick win{'s' if len(quick) != 1 else ''}, needing "
            f"little or no budget, would remove about {share:.0f} % of the risk "
            "measured here; they come first in the action plan."
        )
    return sentences


def chapter_numbers(result: Result, view: dict) -> dict[str, str]:
    """The numbers chapter headings and cross-references print; chapters without content are
    left out and the others keep counting."""
    names = ["summary"]
    if view["decisions"]["items"]:
        names.append("decisions")
    names += ["sections", "weaknesses"]
    if result.action_plan:
        names.append("plan")
    if view["frameworks"] or view["threats"]:
        names.append("coverage")
    numbers = dict.fromkeys(("decisions", "plan", "coverage"), "")  # "": not in this report
    numbers |= {name: str(number) for number, name in enumerate(names, start=1)}
    return numbers | {"answers": "A", "gaps": "B", "method": "C"}


def report_context(
    question_set: QuestionSet,
    result: Result,
    meta: ReportMeta,
    comparison: Comparison | None = None,
) -> dict:
    answers_by_section = []
    for section in result.sections:
        rows = [
            q
            for q in result.questions
            if q.section_id == section.id and q.status != AnswerStatus.HIDDEN
        ]
        if rows:
            answers_by_section.append({"section": section, "rows": rows})
    view = results_view(question_set, result, label_width=420)
    return {
        "meta": meta,
        "chapter": chapter_numbers(result, view),
        "question_set": {
            "id": question_set.id,
            "title": question_set.title,
            "version": question_set.version,
            "language": question_set.language,
        },
        "result": result,
        "view": view,
        "summary": executive_summary(question_set, result, meta),
        "comparison": comparison,
        "answers_by_section": answers_by_section,
        "gaps": [result.question(q) for q in result.information_gaps + result.unanswered],
        "missing_evidence": [result.question(q) for q in result.missing_evidence],
        "marked": [result.question(q) for q in result.marked_for_review],
        "severity_points": SEVERITY_POINTS,
        "maturity_bands": MATURITY_BANDS,
        "level_caps": CAPS,
        "levels": LEVELS,
        "css": _stylesheet(),
        "comment_limit": COMMENT_LIMIT,
    }


def render_report_html(
    question_set: QuestionSet,
    result: Result,
    meta: ReportMeta,
    comparison: Comparison | None = None,
) -> str:
    template = _environment().get_template("report/report.html")
    return template.render(**report_context(question_set, result, meta, comparison))


def result_attachment(result: Result, meta: ReportMeta) -> Attachment:
    """The result object as JSON, so the PDF carries its own data (made by us, never a path)."""
    content = result_json(result, about_assessment(meta)).encode("utf-8")
    return Attachment(
        "result.json",
        content,
        f"The assessment result as JSON (port-assess result format {FORMAT_VERSION})",
    )


def report_pdf_bytes(
    html: str, result: Result, meta: ReportMeta, *, render: Callable[..., bytes] | None = None
) -> bytes:
    """The PDF of a report's HTML with the result attached; by default rendered in a child
    process with time and memory limits. Raises RenderError when that fails."""
    return (render or render_pdf_bounded)(html, attachments=(result_attachment(result, meta),))
