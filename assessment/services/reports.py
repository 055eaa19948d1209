"""PDF reports, made by report workers (``assessment.jobs``), never by a page-serving request.

Asking for a report builds its document (cheap: the result is cached per state) and stores it
under a hash of everything the report shows; the unique key makes a second request for the same
state join the first. A worker claims it, renders it in a bounded child process and stores the
PDF, or the failure, which is then remembered for that state: asking again does not render
again. Renders are limited per organisation (and overall by the number of workers), so one
organisation's burst cannot make every other one wait.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, undefer

from assessment import db, i18n
from assessment.models import (
    AnswerRecord,
    Assessment,
    AssessmentMove,
    Organisation,
    QuestionSetVersion,
    Report,
    ReportStatus,
    User,
    utcnow,
)
from assessment.questionset import QuestionSet
from assessment.report import filters
from assessment.report.document import (
    REPORT_FORMAT,
    ReportMeta,
    render_report_html,
    result_attachment,
)
from assessment.report.pdf import Attachment, RenderError, render_pdf_bounded
from assessment.scoring import Result, compare, score
from assessment.scoring.export import FORMAT_VERSION

from . import assessments as assessment_service
from . import sector_data
from .moves import snapshot_result
from .records import answers_of, question_set_in, question_set_of, records_of, texts_of


class NotFound(LookupError):
    """No such report for this user (absent, or another organisation's): 404."""


def report_language(assessment: Assessment) -> str:
    """The language of the assessment's report: its own, else its question set's."""
    return assessment.language or question_set_of(assessment.question_set_version).language


def report_meta(
    assessment: Assessment, classification: str, previous: Assessment | None = None
) -> ReportMeta:
    """The cover, written in the report's language (its status and date are words too)."""
    day = assessment.completed_at or assessment.updated_at
    language = report_language(assessment)
    with i18n.force_language(language):
        return ReportMeta(
            organisation=assessment.organisation.name,
            title=assessment.title,
            scope=assessment.scope,
            author=assessment.created_by.display_name if assessment.created_by else "",
            status=_("completed") if assessment.is_completed else _("in progress (draft)"),
            classification=classification,
            assessment_date=filters.day(day),
            previous_title=previous.title if previous else None,
            language=language,
        )


def _answers_state(records: dict[str, AnswerRecord]) -> list[tuple[str, int, int]]:
    return sorted((r.question_id, r.id, r.revision) for r in records.values())


def _key(*parts) -> str:
    return hashlib.sha256(repr([REPORT_FORMAT, *parts]).encode()).hexdigest()


def _shown(meta: ReportMeta) -> list:
    return sorted((k, v) for k, v in dataclasses.asdict(meta).items() if k != "generated_at")


# Asking for a report (the request path: no rendering here)


@dataclasses.dataclass(frozen=True)
class _Document:
    key: str
    html: str
    attachment: Attachment


def _assessment_document(
    session: Session, assessment: Assessment, classification: str, sector_min_group: int | None
) -> tuple[str, Callable[[], _Document]]:
    """The key of the assessment's current state, and how to build its document. The key is
    taken from the very records the document is built from, so no interleaving of saves can
    file one state's report under another state's key.

    With ``sector_min_group``, an organisation that shares its results also gets the sector's
    figures beside its own (as on its results page); they change when other organisations
    share, stop or complete, so they are part of the key: a report never shows stale ones."""
    previous = assessment_service.previous_completed(session, assessment)
    records = records_of(session, assessment)
    previous_records = records_of(session, previous) if previous else {}
    meta = report_meta(assessment, classification, previous)
    version = assessment.question_set_version
    texts = texts_of(version, meta.language, session)  # the set in the report's language
    question_set = question_set_in(version, texts, session)
    result = sector = None
    if sector_min_group is not None and sector_data.sharing_of(session, assessment.organisation_id):
        result = score(question_set, answers_of(question_set, records))
        sector = sector_data.officer_comparison(session, assessment, result, sector_min_group)
    key = _key(
        "assessment",
        assessment.id,
        assessment.question_set_version_id,
        _shown(meta),
        _answers_state(records),
        previous.id if previous else None,
        previous.question_set_version_id if previous else None,
        _answers_state(previous_records),
        repr(sector),
        texts,
    )

    def build() -> _Document:
        current = result or score(question_set, answers_of(question_set, records))
        comparison = None
        if previous is not None:
            previous_set = question_set_of(previous.question_set_version, meta.language, session)
            previous_result = score(previous_set, answers_of(previous_set, previous_records))
            comparison = compare(previous_result, current)
        return _document(key, question_set, current, meta, comparison, sector)

    return key, build


def _document(key, question_set: QuestionSet, result: Result, meta, comparison=None, sector=None):
    html = render_report_html(question_set, result, meta, comparison, sector)
    return _Document(key, html, result_attachment(result, meta))


def request_report(
    session: Session,
    user: User,
    assessment: Assessment,
    classification: str,
    filename: str,
    enqueue: Callable[[int], None],
    sector_min_group: int | None = None,
) -> Report:
    """The report of the assessment as it is now: the existing one for this state (ready,
    being made, or failed and remembered), or a new one handed to ``enqueue``. With
    ``sector_min_group`` (the web app's SECTOR_MIN_GROUP) it compares with the sector."""
    key, build = _assessment_document(session, assessment, classification, sector_min_group)
    return _request(
        session,
        key,
        build,
        enqueue,
        kind="assessment",
        assessment_id=assessment.id,
        organisation_id=assessment.organisation_id,
        requested_by_id=user.id if user else None,
        filename=filename,
    )


def request_history_report(
    session: Session,
    user: User,
    assessment: Assessment,
    move: AssessmentMove,
    classification: str,
    filename: str,
    enqueue: Callable[[int], None],
) -> Report:
    """The report as it was on the version the assessment was moved from (its snapshot)."""
    meta = report_meta(assessment, classification)
    with i18n.force_language(meta.language):
        status = _(
            "as it was on version %(version)d, before %(day)s",
            version=move.from_version.version,
            day=filters.day(move.at),
        )
    meta = dataclasses.replace(meta, status=status)
    key = _key("history", assessment.id, move.id, _shown(meta))

    def build() -> _Document:
        return _document(key, question_set_of(move.from_version), snapshot_result(move), meta)

    return _request(
        session,
        key,
        build,
        enqueue,
        kind="history",
        assessment_id=assessment.id,
        organisation_id=assessment.organisation_id,
        requested_by_id=user.id,
        filename=filename,
    )


def request_sample_report(
    session: Session,
    user: User,
    version: QuestionSetVersion,
    question_set: QuestionSet,
    result: Result,
    meta: ReportMeta,
    filename: str,
    enqueue: Callable[[int], None],
) -> Report:
    """A sample report of a version (administrators), from generated answers."""
    key = _key("sample", version.id, version.revision, version.content_hash, _shown(meta))
    return _request(
        session,
        key,
        lambda: _document(key, question_set, result, meta),
        enqueue,
        kind="sample",
        question_set_version_id=version.id,
        requested_by_id=user.id,
        filename=filename,
    )


def _request(session: Session, key: str, build, enqueue, **fields) -> Report:
    found = _by_key(session, key)
    if found is not None:
        return found
    document = build()
    session.commit()  # the reads above end here: the write below takes the lock briefly
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgres_insert
    statement = (
        insert(Report)
        .values(
            state_key=key,
            status=ReportStatus.QUEUED,
            html=document.html,
            attachment=document.attachment.content.decode("utf-8"),
            requested_at=utcnow(),
            attempts=0,
            **fields,
        )
        .on_conflict_do_nothing(index_elements=[Report.state_key])
        .returning(Report.id)  # the new row's id, or nothing when another request came first
    )
    db.begin_write(session)
    created = session.execute(statement).scalar_one_or_none()
    session.commit()
    if created is not None:
        enqueue(created)
    return _by_key(session, key)


def _by_key(session: Session, key: str) -> Report | None:
    return session.scalar(
        select(Report).where(Report.state_key == key).execution_options(populate_existing=True)
    )


def get_report(session: Session, user: User, report_id: int) -> Report:
    """A report the user may see: of an assessment they may see, or a sample (admins)."""
    report = session.get(Report, report_id, populate_existing=True)
    if report is None:
        raise NotFound(report_id)
    if report.assessment_id is not None:
        try:
            assessment_service.get_assessment(session, user, report.assessment_id)
        except assessment_service.NotFound:
            raise NotFound(report_id) from None
    elif not user.is_admin:
        raise NotFound(report_id)
    return report


def pdf_of(session: Session, report: Report) -> bytes | None:
    return session.scalar(select(Report.pdf).where(Report.id == report.id))


def queue_position(session: Session, report: Report) -> int:
    """How many reports asked for earlier still wait for a worker (0: it is next)."""
    if report.status != ReportStatus.QUEUED:
        return 0
    return session.scalar(
        select(func.count())
        .select_from(Report)
        .where(Report.status == ReportStatus.QUEUED, Report.id < report.id)
    )


# Making a report (report workers)


@dataclasses.dataclass(frozen=True)
class RenderLimits:
    timeout: float  # seconds a render may take
    memory: int  # bytes a render may use
    per_organisation: int  # renders of one organisation at once


def claim(session: Session, report_id: int, per_organisation: int) -> Report | None:
    """Take a queued report for this worker, if its organisation is under its limit of renders
    at once; None when there is nothing to do (already taken, done) or it must wait. The claim
    is one conditional update, made while the organisation's row is locked (PostgreSQL) or the
    database's write lock is held (SQLite), so two workers cannot both pass the limit."""
    db.begin_write(session)
    report = session.get(Report, report_id, populate_existing=True)
    if report is None or report.status != ReportStatus.QUEUED:
        session.rollback()
        return None
    if report.organisation_id is not None:
        session.execute(
            select(Organisation.id)
            .where(Organisation.id == report.organisation_id)
            .with_for_update()
        )
        busy = session.scalar(
            select(func.count())
            .select_from(Report)
            .where(
                Report.organisation_id == report.organisation_id,
                Report.status == ReportStatus.RENDERING,
            )
        )
        if busy >= per_organisation:
            session.rollback()
            raise OrganisationBusy(report_id)
    taken = session.execute(
        update(Report)
        .where(Report.id == report_id, Report.status == ReportStatus.QUEUED)
        .values(
            status=ReportStatus.RENDERING,
            started_at=utcnow(),
            attempts=Report.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if not taken:
        return None
    return session.scalar(
        select(Report)
        .where(Report.id == report_id)
        .options(undefer(Report.html), undefer(Report.attachment))
        .execution_options(populate_existing=True)
    )


class OrganisationBusy(Exception):
    """The organisation has as many renders running as it may: try this one again shortly."""


def render(
    session: Session,
    report_id: int,
    limits: RenderLimits,
    renderer: Callable[..., bytes] = render_pdf_bounded,
) -> str:
    """Make one report; returns what happened ("ready", "failed", "skipped"). Raises
    OrganisationBusy when it must wait for its organisation's other renders."""
    report = claim(session, report_id, limits.per_organisation)
    if report is None:
        return "skipped"
    attachment = Attachment(
        "result.json",
        (report.attachment or "").encode("utf-8"),
        f"The assessment result as JSON (port-assess result format {FORMAT_VERSION})",
    )
    try:
        pdf = renderer(
            report.html,
            attachments=(attachment,),
            timeout=limits.timeout,
            memory=limits.memory,
        )
    except RenderError as exc:
        _finish(session, report, status=ReportStatus.FAILED, error=str(exc))
        return "failed"
    _finish(session, report, status=ReportStatus.READY, pdf=pdf, pages=_pages(pdf))
    return "ready"


def _pages(pdf: bytes) -> int | None:
    """The page count from the PDF's page tree (WeasyPrint writes one /Count at the root)."""
    counts = [int(n) for n in re.findall(rb"/Count (\d+)", pdf)]
    return max(counts) if counts else None


def _finish(session: Session, report: Report, *, status: str, **values) -> None:
    """Store the outcome; the document is dropped (the PDF or the error is what remains), and
    older reports of the same assessment and kind that are finished are deleted."""
    db.begin_write(session)
    session.execute(
        update(Report)
        # The same row still: SQLite gives a deleted report's id to the next one, so the key
        # of what was rendered is checked too (a late render never lands in another's row).
        .where(
            Report.id == report.id,
            Report.state_key == report.state_key,
            Report.status == ReportStatus.RENDERING,
        )
        .values(status=status, finished_at=utcnow(), html=None, attachment=None, **values)
        .execution_options(synchronize_session=False)
    )
    if report.assessment_id is not None and status == ReportStatus.READY:
        session.execute(
            delete(Report).where(
                Report.assessment_id == report.assessment_id,
                Report.kind == report.kind,
                Report.id < report.id,
                Report.status.in_([ReportStatus.READY, ReportStatus.FAILED]),
            )
        )
    session.commit()


def stuck_reports(
    session: Session, older_than: timedelta, *, include_waiting: bool = True
) -> list[int]:
    """Reports a worker took and never finished (the worker was killed), and, with
    ``include_waiting``, those that waited in the queue long enough for their message to have
    been lost: ids to put back in the queue."""
    deadline = utcnow() - older_than
    db.begin_write(session)
    rendering = (
        session.execute(
            update(Report)
            .where(Report.status == ReportStatus.RENDERING, Report.started_at < deadline)
            .values(status=ReportStatus.QUEUED, started_at=None)
            .returning(Report.id)
            .execution_options(synchronize_session=False)
        )
        .scalars()
        .all()
    )
    session.commit()
    if not include_waiting:
        return sorted(rendering)
    waiting = session.scalars(
        select(Report.id).where(
            Report.status == ReportStatus.QUEUED, Report.requested_at < deadline
        )
    ).all()
    return sorted(set(rendering) | set(waiting))
