"""Database models (SQLAlchemy 2.0, typed). Tenancy: every port-owned row has an organisation."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class OrganisationKind(enum.StrEnum):
    PORT_AUTHORITY = "port_authority"
    TERMINAL = "terminal"
    PORT_FACILITY = "port_facility"
    OTHER = "other"


# Lazy: each label is read in the language of the page or file that shows it.
ORGANISATION_KIND_LABELS = {
    OrganisationKind.PORT_AUTHORITY: _l("Port authority"),
    OrganisationKind.TERMINAL: _l("Terminal operator"),
    OrganisationKind.PORT_FACILITY: _l("Port facility"),
    OrganisationKind.OTHER: _l("Other port organisation"),
}


class Role(enum.StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    # Sees only the sector view's aggregates (web/sector/): never an organisation's pages.
    ANALYST = "analyst"


class Organisation(Base):
    __tablename__ = "organisation"
    # Names are unique whatever their case ("Port of X" and "port of x" are one organisation).
    __table_args__ = (Index("uq_organisation_name_lower", text("lower(name)"), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(default=True)
    # Its officers must use multi-factor authentication (administrators always must).
    require_mfa: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Its completed assessments count in the sector view's aggregates (docs/sector-privacy.md).
    # Off until its officers or an administrator turn it on; every change is audited.
    share_with_sector: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The interface language of its users who have not chosen one (None: the browser's).
    language: Mapped[str | None] = mapped_column(String(10))
    # Raised in every organisation whenever anyone's display name changes (a name shows on every
    # assessment its holder changed, whatever their organisation now): part of the key the
    # section pages keep their questions' HTML under (web/assessments/pages.py).
    names_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def kind_label(self) -> str:
        return str(ORGANISATION_KIND_LABELS.get(self.kind, self.kind))


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default=Role.OFFICER)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Rotated on logout, password change and deactivation: every cookie carrying the old
    # value stops working, which Flask's signed cookies cannot do on their own.
    session_nonce: Mapped[str] = mapped_column(String(64), default=new_nonce)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # Set when an administrator chose the password: the user must pick their own at the next
    # login before anything else, so the administrator does not go on knowing it.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The interface language the user chose (None: the organisation's default, then the
    # browser's).
    language: Mapped[str | None] = mapped_column(String(10))
    # Multi-factor authentication (TOTP, RFC 6238). The last accepted time step stops a code
    # being used twice; recovery codes are stored as SHA-256 hashes and used once each.
    mfa_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_enabled_at: Mapped[datetime | None]
    mfa_last_step: Mapped[int | None]
    # The secret shown during enrolment, until the first code proves the app has it: kept
    # here, not in the session cookie, which is signed but readable by whoever holds it.
    mfa_setup_secret: Mapped[str | None] = mapped_column(String(64))

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        org_ok = self.organisation is None or self.organisation.active
        return self.active and org_ok

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def has_mfa(self) -> bool:
        return self.mfa_enabled_at is not None


class RecoveryCode(Base):
    """One unused recovery code of a user, as a SHA-256 hash. A row of its own, so that using
    a code is one ``DELETE`` whose row count says whether this login was the one that used it:
    two logins sending the same code at once cannot both succeed."""

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """Who did what, when: every administrative change, for accountability."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"  # being edited; never offered to officers
    PUBLISHED = "published"  # immutable; offered for new assessments
    RETIRED = "retired"  # immutable; kept for the assessments that use it


class QuestionSetVersion(Base):
    """One version of a question set: the source text, its hash and its status.

    Published and retired versions never change, so an assessment pinned to one re-renders
    identically years later. A draft holds the next version number of its set and may be
    edited (and even be invalid) until it is published.
    """

    __tablename__ = "question_set_version"
    __table_args__ = (
        UniqueConstraint("set_id", "version"),
        # At most one draft per set, whoever creates it and whenever.
        Index(
            "uq_question_set_version_one_draft",
            "set_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="published")
    # Deferred: up to 2 MB, needed only when a version is parsed (once per process and hash).
    source_yaml: Mapped[str] = mapped_column(Text, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="system")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="system")
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(String(254))
    # Raised by the database on each edit of a draft: an edit or a publication based on an
    # older text changes nothing (see services.drafts).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class QuestionSetTranslation(Base):
    """A published version's texts in another language (``questionset.translations``):
    checked complete against that version when stored, so a page or report in that language
    never mixes two languages. ``machine_drafted`` until a person confirms it."""

    __tablename__ = "question_set_translation"
    __table_args__ = (UniqueConstraint("version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_set_version.id"))
    language: Mapped[str] = mapped_column(String(10))
    # Deferred: as large as the set's own text, needed once per process and hash.
    source_yaml: Mapped[str] = mapped_column(Text, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    machine_drafted: Mapped[bool] = mapped_column(default=False)
    # Each text's base text when its translation was last written or checked, by key
    # (``set_translations.key_name``): a base text edited since marks it "to review".
    reviewed: Mapped[dict] = mapped_column(JSON, default=dict)
    # Raised by the database on every save: a save based on an older state changes nothing.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="system")


class AssessmentStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Assessment(Base):
    """One organisation's assessment, pinned to the question-set version it was started on."""

    __tablename__ = "assessment"
    # Every organisation's, newest change first, a page at a time (the administrator's list).
    __table_args__ = (Index("ix_assessment_updated_at", "updated_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    question_set_version_id: Mapped[int] = mapped_column(ForeignKey("question_set_version.id"))
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    # The language its pages, report and exports appear in (None: its question set's own).
    language: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=AssessmentStatus.IN_PROGRESS)
    # Raised by the database on every saved change of its answers (and on a version move).
    revision: Mapped[int] = mapped_column(default=0)
    # The standing (scoring.standing) at ``revision``, stored in the same transaction as the
    # change, with "format", "revision" and "version_id": lists and pages read it instead of
    # scoring every assessment; one that does not match is computed again when read.
    standing: Mapped[dict | None] = mapped_column(JSON)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    completed_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    question_set_version: Mapped[QuestionSetVersion] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    answers: Mapped[list[AnswerRecord]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class AnswerRecord(Base):
    """The current answer to one question of one assessment.

    ``revision`` counts the changes of this answer: a save based on an older revision than the
    stored one is a conflict with a colleague's change and is refused, never overwritten.
    """

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(
        String(20)
    )  # limits.AnswerStatus: answered, dont_know, not_applicable or unanswered
    value: Mapped[object | None] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    # How we know (a document, a test record, a ticket) and when that was last checked; part of
    # the answer: saved, revised and refused on conflict with it.
    evidence: Mapped[str] = mapped_column(Text, default="", server_default="")
    evidence_checked: Mapped[date | None]
    marked_for_review: Mapped[bool] = mapped_column(default=False)
    needs_recheck: Mapped[bool] = mapped_column(default=False)
    revision: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()


class ReportStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for a report worker
    RENDERING = "rendering"  # a worker is making the PDF
    READY = "ready"
    FAILED = "failed"  # remembered for this state: asking again does not render again


class Report(Base):
    """A PDF report of one state of an assessment (or of a version's sample answers), made by
    a report worker, never by a page-serving request.

    ``state_key`` is a hash of everything the report shows; it is unique, so a second request
    for the same state joins the first instead of rendering again. The document to render is
    built when the report is asked for (cheap: the result is cached) and kept until the PDF is
    made, so the PDF shows exactly the state that was asked for.
    """

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # assessment | history | sample
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    question_set_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_set_version.id", ondelete="CASCADE")
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.QUEUED, index=True)
    filename: Mapped[str] = mapped_column(String(200))
    html: Mapped[str | None] = mapped_column(Text, deferred=True)
    attachment: Mapped[str | None] = mapped_column(Text, deferred=True)  # the result JSON
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pages: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.READY

    @property
    def is_failed(self) -> bool:
        return self.status == ReportStatus.FAILED


class AssessmentMove(Base):
    """An assessment moved to another version of its question set, with the answers as they
    were, so the report of the old version can be made again exactly."""

    __tablename__ = "assessment_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_email: Mapped[str] = mapped_column(String(254))
    from_version_id: Mapped[int] = mapped_column(ForeignKey("question_set_version.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("question_set_version.id"))
    answers_snapshot: Mapped[list] = mapped_column(JSON)

    from_version: Mapped[QuestionSetVersion] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[QuestionSetVersion] = relationship(foreign_keys=[to_version_id])


class RateLimitCounter(Base):
    """One rate-limit counter (failed logins of an account, reports a person asked for, ...),
    in the database every web worker and server shares: ``services/rate_limits.py``."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    # Seconds since the epoch at which the window ends and the count starts again from zero.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
