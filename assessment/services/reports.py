"""The PDF report of an assessment, made once per state of the assessment and cached."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.models import Assessment, AssessmentMove, ReportCache, utcnow
from assessment.report.document import (
    REPORT_FORMAT,
    ReportMeta,
    render_report_html,
    report_pdf_bytes,
)
from assessment.report.pdf import render_pdf_bounded
from assessment.scoring import compare

from . import assessments as assessment_service


def report_meta(
    assessment: Assessment, classification: str, previous: Assessment | None = None
) -> ReportMeta:
    day = assessment.completed_at or assessment.updated_at
    return ReportMeta(
        organisation=assessment.organisation.name,
        title=assessment.title,
        scope=assessment.scope,
        author=assessment.created_by.display_name if assessment.created_by else "",
        status="completed" if assessment.is_completed else "in progress (draft)",
        classification=classification,
        assessment_date=day.strftime("%d %B %Y"),
        previous_title=previous.title if previous else None,
    )


def _cache_key(assessment: Assessment, previous: Assessment | None, classification: str) -> str:
    parts = [
        REPORT_FORMAT,
        assessment.id,
        assessment.revision,
        assessment.status,
        assessment.title,
        assessment.scope,
        assessment.organisation.name,
        classification,
        previous.id if previous else None,
        previous.revision if previous else None,
        previous.status if previous else None,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def report_html(session: Session, assessment: Assessment, classification: str) -> str:
    """The report as self-contained HTML (what the PDF is rendered from)."""
    previous = assessment_service.previous_completed(session, assessment)
    return _build(session, assessment, classification, previous)[0]


def _build(
    session: Session, assessment: Assessment, classification: str, previous: Assessment | None
):
    question_set = assessment_service.question_set_of(assessment.question_set_version)
    result = assessment_service.result_of(session, assessment)
    comparison = (
        compare(assessment_service.result_of(session, previous), result) if previous else None
    )
    meta = report_meta(assessment, classification, previous)
    html = render_report_html(question_set, result, meta, comparison)
    return html, result, meta


def report_pdf(
    session: Session,
    assessment: Assessment,
    classification: str,
    *,
    render: Callable[..., bytes] | None = None,
) -> tuple[bytes, bool]:
    """(PDF bytes, whether they came from the cache). Raises RenderError if rendering fails.

    ``render`` defaults to the bounded renderer (a child process with time and memory limits).
    """
    previous = assessment_service.previous_completed(session, assessment)
    key = _cache_key(assessment, previous, classification)
    cached = session.scalar(select(ReportCache).where(ReportCache.assessment_id == assessment.id))
    if cached is not None and cached.cache_key == key:
        return cached.pdf, True
    html, result, meta = _build(session, assessment, classification, previous)
    pdf = report_pdf_bytes(html, result, meta, render=render or render_pdf_bounded)
    if cached is None:
        cached = ReportCache(assessment_id=assessment.id, cache_key=key, pdf=pdf)
        session.add(cached)
    else:
        cached.cache_key, cached.pdf, cached.created_at = key, pdf, utcnow()
    session.commit()
    return pdf, False


def snapshot_pdf(assessment: Assessment, move: AssessmentMove, classification: str) -> bytes:
    """The report as it was on the version the assessment was moved from (from the answers
    snapshotted with the move)."""
    from .moves import snapshot_result

    question_set = assessment_service.question_set_of(move.from_version)
    result = snapshot_result(move)
    meta = dataclasses.replace(
        report_meta(assessment, classification),
        status=f"as it was on version {move.from_version.version}, before {move.at:%Y-%m-%d}",
    )
    return report_pdf_bytes(render_report_html(question_set, result, meta), result, meta)
