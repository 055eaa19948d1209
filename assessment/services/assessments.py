"""Assessments: starting, answering, completing. Every look-up is filtered by organisation.

A save is all or nothing: every answer is checked against its question (type, range,
visibility, comment length) and against the revision the person started from, before anything
is written. A save based on an outdated revision is a conflict and is refused with the other
person's answer, so nobody overwrites a colleague without seeing it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, joinedload

from assessment import db, i18n
from assessment.i18n import LANGUAGES
from assessment.limits import MAX_ASSESSMENT_TITLE, MAX_TEXT, AnswerStatus
from assessment.models import (
    AnswerRecord,
    Assessment,
    AssessmentStatus,
    QuestionSetVersion,
    User,
    utcnow,
)
from assessment.questionset import AnswerError, QuestionSet

from . import audit
from .records import compute_standing, question_set_of, records_of, store_standing


class NotFound(LookupError):
    """No such assessment for this user: absent or another organisation's (both give 404)."""


class AssessmentError(ValueError):
    """A change that cannot be made; the message is shown as it is."""


# Look-ups: the only ways views reach assessments, all filtered by organisation.


# The one tenant rule: an administrator sees every organisation's assessments, anyone else only
# their own organisation's. Written once, with the organisation as a parameter, so the look-up
# below can be built once and every other query binds the user's organisation to the same rule.
_OWN_ORGANISATION = Assessment.organisation_id == bindparam("organisation_id")


def _visible_to(user: User):
    query = select(Assessment)
    if user.is_admin:
        return query
    return query.where(_OWN_ORGANISATION).params(organisation_id=user.organisation_id)


# Every assessment page runs this look-up; building a statement costs about as much as
# running it, so it is built once (for each side of the tenant rule), with the ids as
# parameters.
_ONE_ASSESSMENT = (
    select(Assessment)
    .where(Assessment.id == bindparam("assessment_id"))
    .options(joinedload(Assessment.question_set_version), joinedload(Assessment.organisation))
)
_ONE_ASSESSMENT_OF_ORGANISATION = _ONE_ASSESSMENT.where(_OWN_ORGANISATION)


def get_assessment(session: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment with its version and organisation (every page shows both) in one query,
    filtered by organisation as ``_visible_to``."""
    if user.is_admin:
        found = session.scalar(_ONE_ASSESSMENT, {"assessment_id": assessment_id})
    else:
        found = session.scalar(
            _ONE_ASSESSMENT_OF_ORGANISATION,
            {"assessment_id": assessment_id, "organisation_id": user.organisation_id},
        )
    if found is None:
        raise NotFound(assessment_id)
    return found


def _listed(user: User):
    """The assessments a user may see, with what a list row shows, newest change first (the id
    breaks ties, so pages never overlap)."""
    return (
        _visible_to(user)
        .options(  # each row has one of each: joined in the same query
            joinedload(Assessment.question_set_version),
            joinedload(Assessment.updated_by),
            joinedload(Assessment.organisation),
        )
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
    )


def list_assessments(session: Session, user: User) -> list[Assessment]:
    return list(session.scalars(_listed(user)))


def count_assessments(session: Session, user: User) -> int:
    return session.scalar(
        _visible_to(user).with_only_columns(func.count(Assessment.id)).order_by(None)
    )


def page_of_assessments(session: Session, user: User, offset: int, limit: int) -> list[Assessment]:
    """One page of ``list_assessments``: an index on ``updated_at`` serves it at any size
    (migration 0013)."""
    return list(session.scalars(_listed(user).offset(offset).limit(limit)))


def published_versions(session: Session) -> list[QuestionSetVersion]:
    """Versions offered for new assessments: the default set first, newest version first."""
    versions = session.scalars(
        select(QuestionSetVersion).where(QuestionSetVersion.status == "published")
    ).all()
    return sorted(versions, key=lambda v: (v.set_id != "port-cyber-baseline", v.set_id, -v.version))


def previous_candidates(session: Session, user: User) -> list[Assessment]:
    """Earlier assessments of the user's organisation that a new one may start from."""
    return [a for a in list_assessments(session, user) if a.organisation_id == user.organisation_id]


# Life cycle


@db.writes
def start_assessment(
    session: Session,
    user: User,
    title: str,
    scope: str,
    version_id: int,
    previous_id: int | None = None,
    language: str | None = None,
) -> Assessment:
    """A new assessment of the user's organisation; optionally copy a previous one's answers,
    marked "to re-check" until confirmed. ``language``: the one its pages, report and exports
    appear in (None: its question set's own)."""
    if user.organisation_id is None:
        raise AssessmentError(_("Only officers of an organisation can start an assessment."))
    title = title.strip()
    if not title or len(title) > MAX_ASSESSMENT_TITLE:
        raise AssessmentError(
            _("Give a title of at most %(max)s characters.", max=MAX_ASSESSMENT_TITLE)
        )
    version = session.get(QuestionSetVersion, version_id)
    if version is None or version.status != "published":
        raise AssessmentError(_("Choose a published question set."))
    previous = get_assessment(session, user, previous_id) if previous_id else None
    if previous is not None and previous.organisation_id != user.organisation_id:
        raise NotFound(previous_id)
    now = utcnow()
    assessment = Assessment(
        organisation_id=user.organisation_id,
        question_set_version=version,
        title=title,
        scope=scope.strip()[:MAX_TEXT],
        language=_language(language),
        based_on_id=previous.id if previous else None,
        created_by_id=user.id,
        updated_by_id=user.id,
        created_at=now,
        updated_at=now,
    )
    session.add(assessment)
    session.flush()
    question_set = question_set_of(version)
    copied = _copy_answers(session, previous, assessment, question_set, user) if previous else 0
    session.flush()
    _result, standing = compute_standing(question_set, records_of(session, assessment))
    store_standing(session, assessment.id, assessment.revision, version.id, standing)
    audit.record(
        session,
        user,
        "assessment.start",
        f"assessment {assessment.id}",
        question_set=f"{version.set_id} v{version.version}",
        based_on=previous.id if previous else None,
        copied_answers=copied or None,
    )
    session.commit()
    return assessment


def _copy_answers(
    session: Session, source: Assessment, target: Assessment, question_set: QuestionSet, user: User
) -> int:
    copied = 0
    for record in records_of(session, source).values():
        if record.status == AnswerStatus.UNANSWERED or not question_set.has_question(
            record.question_id
        ):
            continue
        try:
            question_set.question(record.question_id).parse_answer(record.value)
        except AnswerError:
            continue  # the question changed too much to carry the answer over
        session.add(
            AnswerRecord(
                assessment_id=target.id,
                question_id=record.question_id,
                status=record.status,
                value=record.value,
                comment=record.comment,
                evidence=record.evidence,
                evidence_checked=record.evidence_checked,
                needs_recheck=True,
                revision=1,
                updated_by_id=user.id,
            )
        )
        copied += 1
    if copied:
        target.revision = 1
    return copied


def _language(language: str | None) -> str | None:
    if not language:
        return None
    if i18n.supported(language) != language:
        raise AssessmentError(
            _("Choose one of the languages offered: %(languages)s.", languages=", ".join(LANGUAGES))
        )
    return language


def set_language(session: Session, user: User, assessment: Assessment, language: str | None):
    """Show the assessment, its report and its exports in ``language`` from now on (the
    answers do not change: a translation holds only texts)."""
    db.begin_write(session)
    change_if(session, assessment, language=_language(language))
    audit.record(
        session,
        user,
        "assessment.language",
        f"assessment {assessment.id}",
        language=language or None,
    )
    session.commit()


def change_if(session: Session, assessment: Assessment, *conditions, **values) -> bool:
    """``UPDATE assessment SET values WHERE id AND conditions``: whether the row matched.

    The database decides, so two requests that both saw the assessment in progress cannot both
    complete it (or move it); the loser changes nothing. The object is expired so that it is
    read again as stored."""
    result = session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire(assessment)
    return result.rowcount == 1


def complete(session: Session, user: User, assessment: Assessment) -> None:
    db.begin_write(session)
    done = change_if(
        session,
        assessment,
        Assessment.status == AssessmentStatus.IN_PROGRESS,
        status=AssessmentStatus.COMPLETED,
        completed_by_id=user.id,
        completed_at=utcnow(),
    )
    if not done:
        session.rollback()
        raise AssessmentError(_("This assessment is already completed."))
    audit.record(session, user, "assessment.complete", f"assessment {assessment.id}")
    session.commit()


def reopen(session: Session, user: User, assessment: Assessment) -> None:
    db.begin_write(session)
    done = change_if(
        session,
        assessment,
        Assessment.status == AssessmentStatus.COMPLETED,
        status=AssessmentStatus.IN_PROGRESS,
        completed_by_id=None,
        completed_at=None,
    )
    if not done:
        session.rollback()
        raise AssessmentError(_("This assessment is not completed."))
    audit.record(
        session, user, "assessment.reopen", f"assessment {assessment.id}", title=assessment.title
    )
    session.commit()


def previous_completed(session: Session, assessment: Assessment) -> Assessment | None:
    """The organisation's latest completed assessment of the same question set before this."""
    candidates = session.scalars(
        select(Assessment)
        .where(
            Assessment.organisation_id == assessment.organisation_id,
            Assessment.status == AssessmentStatus.COMPLETED,
            Assessment.id != assessment.id,
            Assessment.created_at <= assessment.created_at,
        )
        .order_by(Assessment.completed_at.desc())
    ).all()
    set_id = assessment.question_set_version.set_id
    return next((a for a in candidates if a.question_set_version.set_id == set_id), None)
