"""The analyst's pages: the figures of one question-set version, narrowed by organisation kind
and country where the privacy rules allow it; the same figures as CSV, JSON and a PDF report.

Every request reads who shares now (``services.sector_data``) and computes the figures again
(``services.sector``): an organisation that stops sharing is gone from the next page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assessment import i18n
from assessment.db import get_session
from assessment.models import ORGANISATION_KIND_LABELS, QuestionSetVersion
from assessment.report import sector as sector_files
from assessment.report import wording
from assessment.services import reports, sector, sector_data, sector_reports
from assessment.services.organisations import COUNTRY_NAMES, country_names_in
from assessment.services.records import question_set_of
from assessment.services.sector_model import Figures
from assessment.services.sector_privacy import View

from ..common import throttle
from ..common.downloads import download
from ..common.security import bounded_int
from .blueprint import bp


@dataclass(frozen=True)
class Asked:
    """What the analyst asked for, checked: a known version, kind and country (or none)."""

    versions: list[QuestionSetVersion]
    version: QuestionSetVersion | None
    view: View

    def args(self, **more) -> dict:
        args = {"version": self.version.id if self.version else None}
        args |= {"kind": self.view.kind or None, "country": self.view.country or None}
        return {k: v for k, v in (args | more).items() if v is not None}


def _asked() -> Asked:
    versions = sector_data.sector_versions(get_session())
    wanted = request.args.get("version", type=bounded_int)
    version = next((v for v in versions if v.id == wanted), None)
    if version is None and wanted is not None:
        abort(404)
    if version is None and versions:
        version = versions[0]
    kind = request.args.get("kind", "")
    country = request.args.get("country", "").upper()
    view = View(
        kind if kind in ORGANISATION_KIND_LABELS else "",
        country if country in COUNTRY_NAMES else "",
    )
    return Asked(versions, version, view)


def _figures(asked: Asked) -> Figures | None:
    if asked.version is None:
        return None
    return sector.sector_figures(
        question_set_of(asked.version),
        sector_data.shared_contributions(get_session(), asked.version.id),
        asked.view,
        current_app.config["SECTOR_MIN_GROUP"],
    )


def about(asked: Asked, figures: Figures) -> dict:
    """What a file of figures is about (no organisation is named in it)."""
    version = asked.version
    return {
        "question_set": version.set_id,
        "version": version.version,
        "title": version.title,
        "kind": asked.view.kind or None,
        "country": asked.view.country or None,
        "min_group": figures.min_group,
        "rounding": _("scores to whole numbers, shares to 5 %"),
        "generated_at": sector_files.generated_at(),
    }


def view_label(view: View) -> str:
    parts = [str(ORGANISATION_KIND_LABELS.get(view.kind, ""))] if view.kind else []
    parts += [country_name(view.country)] if view.country else []
    return ", ".join(parts) or _("The whole sector")


def country_name(code: str) -> str:
    """A country as the page's language names it (Babel's CLDR names; the stored English name
    for a code CLDR does not know)."""
    return country_names_in(i18n.format_locale()).get(code, code)


@bp.get("/")
def index():
    asked = _asked()
    figures = _figures(asked)
    views = figures.views if figures else ()
    return render_template(
        "sector/index.html",
        asked=asked,
        figures=figures,
        view_label=view_label,
        kinds=[(k, ORGANISATION_KIND_LABELS[k]) for k in sorted({v.kind for v in views if v.kind})],
        countries=[(c, country_name(c)) for c in sorted({v.country for v in views if v.country})],
        severity_labels=wording.severity_labels(),
        # The figures' English labels (exposures, levels, special answers) in the page's words,
        # as the sector report says them.
        our_words=sector_files._our_words(question_set_of(asked.version)) if asked.version else {},
        links={
            "csv": url_for("sector.figures_csv", **asked.args()),
            "json": url_for("sector.figures_json", **asked.args()),
            "pdf": url_for("sector.report_pdf", **asked.args()),
        },
    )


def _file_name(asked: Asked, extension: str) -> str:
    version = asked.version
    parts = ["sector", version.set_id, f"v{version.version}", asked.view.kind, asked.view.country]
    return "-".join(p for p in parts if p) + f".{extension}"


def _asked_with_figures() -> tuple[Asked, Figures]:
    asked = _asked()
    figures = _figures(asked)
    if figures is None:
        abort(404)
    return asked, figures


@bp.get("/figures.json")
def figures_json():
    asked, figures = _asked_with_figures()
    return download(
        sector_files.figures_json(figures, about(asked, figures)),
        _file_name(asked, "json"),
        "application/json",
    )


@bp.get("/figures.csv")
def figures_csv():
    asked, figures = _asked_with_figures()
    return download(
        sector_files.figures_csv(figures), _file_name(asked, "csv"), "text/csv; charset=utf-8"
    )


# The sector report (PDF), made by a report worker


def _report_inputs() -> tuple[Asked, Figures, dict, str]:
    asked, figures = _asked_with_figures()
    if not figures.published:
        abort(404)  # nothing to report: the page says why
    data = sector_files.figures_data(figures, about(asked, figures))
    return asked, figures, data, view_label(asked.view)


@bp.get("/report.pdf")
@throttle.report_limit
def report_pdf():
    """The sector report of the view: sent if made, else asked of a report worker."""
    asked, figures, data, label = _report_inputs()
    classification = current_app.config["CLASSIFICATION"]
    report = sector_reports.request_sector_report(
        get_session(),
        current_user,
        asked.version,
        data,
        classification,
        label,
        lambda: sector_files.render_sector_html(
            question_set_of(asked.version), figures, data["about"], classification, label
        ),
        _file_name(asked, "pdf"),
        lambda report_id: current_app.extensions["jobs"].enqueue_report(report_id),
    )
    if report.is_ready:
        return download(reports.pdf_of(get_session(), report), report.filename, "application/pdf")
    return redirect(url_for("sector.report_status", **asked.args()), 303)


@bp.get("/report")
def report_status():
    """Where the view's report stands now; refreshes itself until it is made."""
    asked, _figures, data, label = _report_inputs()
    report = sector_reports.find_sector_report(
        get_session(), data, current_app.config["CLASSIFICATION"], label
    )
    if report is None:  # the figures changed since it was asked for: ask again
        return redirect(url_for("sector.index", **asked.args()))
    return render_template(
        "sector/report.html",
        report=report,
        label=label,
        waiting=reports.queue_position(get_session(), report),
        download_url=url_for("sector.report_pdf", **asked.args(download=1)),
        back=url_for("sector.index", **asked.args()),
    )
