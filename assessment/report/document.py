"""The report as one self-contained HTML document (styles and charts inline), ready for
WeasyPrint or a browser. Used by the web download and ``port-assess report`` alike.

The templates get a context of plain values (``report_context``), never ORM objects, and are
rendered by an environment of our own with autoescaping on for every template name: Flask
escapes only .html and friends, and the report must not depend on a file name to be safe.

A report is in its assessment's language (``ReportMeta.language``; None: the question set's):
``render_report_html`` renders inside ``i18n.force_language``, so its interface words come
from that language's catalogue and its dates and numbers are written the way it writes them,
and the HTML's ``lang`` (hence the PDF's /Lang) says so. The question set's own texts are
printed as the set gives them, marked with the set's language where it differs. Whatever
builds a ReportMeta builds it in the same language (``report_language``), since its status
and dates are words too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import ngettext
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assessment import i18n, paths
from assessment.limits import AnswerStatus
from assessment.questionset import QuestionSet
from assessment.scoring import Comparison, Result
from assessment.scoring.export import FORMAT_VERSION
from assessment.scoring.rules import CAPS, MATURITY_BANDS, SEVERITY_POINTS
from assessment.services.sector_model import Comparison as SectorComparison

from . import filters, wording
from .context import results_view, verdict
from .exports import about_assessment, result_json
from .filters import TEMPLATE_FILTERS
from .pdf import Attachment, render_pdf_bounded
from .styles import styles

REPORT_FORMAT = 3  # raise when the report's layout changes, so caches are not reused
# Longer comments (and free-text answers) are shortened in the PDF, the full text staying in
# the answers CSV: 1,200 characters is about half a page, and keeps the largest valid
# assessment (129 questions, 5,000-character comments) a report that renders in well under
# the render limit (see tests/report/test_report_scale.py).
COMMENT_LIMIT = 1200


@dataclass(frozen=True)
class ReportMeta:
    """What the cover says. Build it inside the report's language (``report_language``): the
    default status and the generation time are written in the language current then."""

    organisation: str
    title: str
    scope: str = ""
    author: str = ""
    status: str = field(default_factory=lambda: _("in progress"))
    classification: str = "TLP:AMBER+STRICT"
    assessment_date: str = ""
    previous_title: str | None = None
    language: str | None = None  # the report's; None: the question set's own
    generated_at: str = field(default_factory=lambda: filters.when(datetime.now(UTC)))


def report_language(question_set: QuestionSet, meta: ReportMeta | None = None) -> str:
    """The language a report is in: its assessment's, else its question set's."""
    return (meta.language if meta else None) or question_set.language


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(paths.templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # As for the app's templates: the current translations (the request's, or the report's
    # inside force_language) are looked up when rendering, never bound once.
    i18n.install_gettext(environment)
    environment.filters.update(TEMPLATE_FILTERS)
    environment.globals["AnswerStatus"] = AnswerStatus
    return environment


def executive_summary(question_set: QuestionSet, result: Result, meta: ReportMeta) -> list[str]:
    """The summary in plain sentences, as a port director would want it read out."""
    if result.overall is None:
        return [_("No scored question has been answered yet, so there is no score.")]
    gaps, unanswered = len(result.information_gaps), len(result.unanswered)
    headline = verdict(result)
    sentences = [
        _(
            "%(organisation)s scores %(score)s out of 100. %(verdict)s",
            organisation=meta.organisation,
            score=filters.score(result.overall),
            verdict=headline["sentence"],
        )
    ]
    if headline["open_critical"]:
        sentences.append(
            _("Open critical weaknesses: %(titles)s.", titles="; ".join(headline["open_critical"]))
        )
    if gaps or unanswered:
        sentences.append(
            _(
                "%(share)s of applicable questions were answered; %(dont_know)s and "
                "%(unanswered)s; they are listed as information gaps.",
                share=filters.percent(result.completeness),
                dont_know=ngettext("%(num)d was “don't know”", "%(num)d were “don't know”", gaps),
                unanswered=ngettext(
                    "%(num)d was left unanswered", "%(num)d were left unanswered", unanswered
                ),
            )
        )
    else:
        sentences.append(
            ngettext(
                "The %(num)d applicable question was answered, not with “don't know”.",
                "All %(num)d applicable questions were answered, none with “don't know”.",
                result.applicable,
            )
        )
    top = result.weaknesses[:3]
    if top:
        severities = wording.severity_words()
        listed = "; ".join(
            _(
                "%(weakness)s (%(severity)s)",
                weakness=w.title.rstrip("."),
                severity=severities[w.severity],
            )
            for w in top
        )
        sentences.append(
            ngettext(
                "The top priority is: %(listed)s.",
                "The priorities are: %(listed)s.",
                len(top),
                listed=listed,
            )
        )
    else:
        sentences.append(_("No weaknesses were found in the answers given."))
    quick = [a for a in result.action_plan if a.horizon == "quick_win"]
    total = sum(w.priority for w in result.weaknesses)
    if quick and total:
        sentences.append(
            ngettext(
                "%(num)d quick win, needing little or no budget, would remove about %(share)s "
                "of the risk measured here; it comes first in the action plan.",
                "%(num)d quick wins, needing little or no budget, would remove about %(share)s "
                "of the risk measured here; they come first in the action plan.",
                len(quick),
                share=filters.percent(sum(a.priority for a in quick) / total),
            )
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
    sector: SectorComparison | None = None,
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
    language = report_language(question_set, meta)
    levels = wording.level_labels()
    return {
        "meta": meta,
        "language": language,
        # The set's texts are in the set's language: marked as such where the report is not.
        "set_language": "" if question_set.language == language else question_set.language,
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
        "sector": sector,
        "answers_by_section": answers_by_section,
        "answer_words": lambda q: wording.answer_words(
            question_set, q.question_id, q.status, q.answer
        ),
        "status_words": wording.status_words(),
        "gaps": [result.question(q) for q in result.information_gaps + result.unanswered],
        "missing_evidence": [result.question(q) for q in result.missing_evidence],
        "marked": [result.question(q) for q in result.marked_for_review],
        "severity_points": SEVERITY_POINTS,
        "severity_words": wording.severity_words(),
        "maturity_bands": [
            (lowest, level, levels[level]) for lowest, level, _english in MATURITY_BANDS
        ],
        "level_caps": CAPS,
        "levels": levels,
        "horizon_labels": wording.horizon_labels(),
        "effort_labels": wording.effort_labels(),
        "effort_tags": wording.effort_tags(),
        "css": styles(),
        "comment_limit": COMMENT_LIMIT,
    }


def render_report_html(
    question_set: QuestionSet,
    result: Result,
    meta: ReportMeta,
    comparison: Comparison | None = None,
    sector: SectorComparison | None = None,
) -> str:
    """The report in its language (``report_language``). Outside an app context (a script,
    a unit test) there are no catalogues, and it is in English whatever the language.
    ``sector``: where the organisation stands in the sector (``sector_data.officer_comparison``)."""
    with i18n.force_language(report_language(question_set, meta)):
        template = _environment().get_template("report/report.html")
        return template.render(**report_context(question_set, result, meta, comparison, sector))


def sample_meta(question_set: QuestionSet, pattern: str) -> ReportMeta:
    """The cover of a sample report (administrators), in the set's language like its report;
    ``pattern`` is how the answers were made (``scoring.samples``)."""
    with i18n.force_language(question_set.language):
        patterns = {
            "best": _("sample (best answers)"),
            "worst": _("sample (worst answers)"),
            "mixed": _("sample (mixed answers)"),
        }
        return ReportMeta(
            organisation=_("Sample organisation"),
            title=_(
                "Sample report: %(title)s v%(version)d",
                title=question_set.title,
                version=question_set.version,
            ),
            status=patterns.get(pattern, pattern),
            classification=_("SAMPLE – NOT AN ASSESSMENT"),
        )


def result_attachment(result: Result, meta: ReportMeta) -> Attachment:
    """The result object as JSON, so the PDF carries its own data (made by us, never a path)."""
    content = result_json(result, about_assessment(meta)).encode("utf-8")
    return Attachment("result.json", content, attachment_description())


def attachment_description() -> str:
    """What a PDF viewer lists beside the attached result."""
    return _(
        "The assessment result as JSON (port-assess result format %(format)s)",
        format=FORMAT_VERSION,
    )


def report_pdf_bytes(
    html: str, result: Result, meta: ReportMeta, *, render: Callable[..., bytes] | None = None
) -> bytes:
    """The PDF of a report's HTML with the result attached; by default rendered in a child
    process with time and memory limits. Raises RenderError when that fails."""
    return (render or render_pdf_bounded)(html, attachments=(result_attachment(result, meta),))
