"""The PDF report of an assessment, made once per state of the assessment and cached."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from assessment import db
from assessment.models import AnswerRecord, Assessment, AssessmentMove, ReportCache, utcnow
from assessment.report.document import (
    REPORT_FORMAT,
    ReportMeta,
    render_report_html,
    report_pdf_bytes,
)
from assessment.report.pdf import render_pdf_bounded
from assessment.scoring import compare, score

from . import assessments as assessment_service
from .moves import snapshot_result
from .records import answers_of, question_set_of, records_of


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


def _answers_state(records: dict[str, AnswerRecord]) -> list[tuple[str, int, int]]:
    return sorted((r.question_id, r.id, r.revision) for r in records.values())


def _cache_key(
    assessment: Assessment,
    records: dict[str, AnswerRecord],
    meta: ReportMeta,
    previous: Assessment | None,
    previous_records: dict[str, AnswerRecord],
) -> str:
    """A hash of what the report shows, taken from the very records it is rendered from: every
    answer's revision (raised by the database on each change), the version, and the cover's
    texts. No interleaving of saves can store one state's PDF under another state's key."""
    shown = {k: v for k, v in dataclasses.asdict(meta).items() if k != "generated_at"}
    parts = [
        REPORT_FORMAT,
        assessment.id,
        assessment.question_set_version_id,
        sorted(shown.items()),
        _answers_state(records),
        previous.id if previous else None,
        previous.question_set_version_id if previous else None,
        _answers_state(previous_records),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _build(
    assessment: Assessment,
    records: dict[str, AnswerRecord],
    meta: ReportMeta,
    previous: Assessment | None,
    previous_records: dict[str, AnswerRecord],
):
    question_set = question_set_of(assessment.question_set_version)
    result = score(question_set, answers_of(question_set, records))
    comparison = None
    if previous is not None:
        previous_set = question_set_of(previous.question_set_version)
        previous_result = score(previous_set, answers_of(previous_set, previous_records))
        comparison = compare(previous_result, result)
    html = render_report_html(question_set, result, meta, comparison)
    return html, result


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
    records = records_of(session, assessment)
    previous_records = records_of(session, previous) if previous else {}
    meta = report_meta(assessment, classification, previous)
    key = _cache_key(assessment, records, meta, previous, previous_records)
    cached = session.scalar(
        select(ReportCache.pdf).where(
            ReportCache.assessment_id == assessment.id, ReportCache.cache_key == key
        )
    )
    if cached is not None:
        return cached, True
    html, result = _build(assessment, records, meta, previous, previous_records)
    session.commit()  # no transaction held open while the report renders
    pdf = report_pdf_bytes(html, result, meta, render=render or render_pdf_bounded)
    _store(session, assessment.id, key, pdf)
    return pdf, False


def _store(session: Session, assessment_id: int, key: str, pdf: bytes) -> None:
    """Insert or replace the assessment's cached PDF in one statement: two people asking for
    the same new report at once both get it, and the second write simply replaces the first."""
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgres_insert
    statement = insert(ReportCache).values(
        assessment_id=assessment_id, cache_key=key, pdf=pdf, created_at=utcnow()
    )
    statement = statement.on_conflict_do_update(
        index_elements=[ReportCache.assessment_id],
        set_={
            "cache_key": statement.excluded.cache_key,
            "pdf": statement.excluded.pdf,
            "created_at": statement.excluded.created_at,
        },
    )
    db.begin_write(session)
    session.execute(statement)
    session.commit()


def snapshot_pdf(assessment: Assessment, move: AssessmentMove, classification: str) -> bytes:
    """The report as it was on the version the assessment was moved from (from the answers
    snapshotted with the move)."""
    question_set = question_set_of(move.from_version)
    result = snapshot_result(move)
    meta = dataclasses.replace(
        report_meta(assessment, classification),
        status=f"as it was on version {move.from_version.version}, before {move.at:%Y-%m-%d}",
    )
    return report_pdf_bytes(render_report_html(question_set, result, meta), result, meta)
