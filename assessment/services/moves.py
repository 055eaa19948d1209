"""Moving an assessment to a newer version of its question set, without losing an answer.

Answers are carried over by question id. Nothing is deleted: answers to questions the new
version lacks stay stored (read-only, in the history), and the answers as they were are
snapshotted with the move, so the report of the old version can be made again exactly. An answer
carried over to a question that changed (``questionset.changes``: its text, choices, scores or
type) is marked "to re-check", as answers copied from a previous assessment are.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from assessment import db
from assessment.limits import AnswerStatus
from assessment.models import (
    AnswerRecord,
    Assessment,
    AssessmentMove,
    QuestionSetVersion,
    User,
    utcnow,
)
from assessment.questionset import QuestionSet
from assessment.questionset.changes import SetChanges, compare_sets
from assessment.scoring import Result, score

from . import audit
from .assessments import AssessmentError, change_if
from .records import answer_of, compute_standing, question_set_of, records_of, store_standing


@dataclass(frozen=True)
class MovePlan:
    """What moving an assessment to ``target`` does to its answers, by question id."""

    target: QuestionSetVersion
    carried: tuple[str, ...]  # answered, and the answer still fits the question
    recheck: tuple[str, ...]  # carried, but the question changed: marked "to re-check"
    refit: tuple[str, ...]  # answered, but the answer no longer fits: asked again
    removed: tuple[str, ...]  # answered questions the new version no longer has: kept
    new: tuple[str, ...]  # questions only in the new version: unanswered
    changes: SetChanges  # every question that changed, answered or not, with its differences

    @property
    def as_they_are(self) -> int:
        """Answers carried over to a question that did not change."""
        return len(self.carried) - len(self.recheck)


def newer_versions(session: Session, assessment: Assessment) -> list[QuestionSetVersion]:
    current = assessment.question_set_version
    return list(
        session.scalars(
            select(QuestionSetVersion)
            .where(
                QuestionSetVersion.set_id == current.set_id,
                QuestionSetVersion.version > current.version,
                QuestionSetVersion.status == "published",
            )
            .order_by(QuestionSetVersion.version.desc())
        )
    )


# Built once (every assessment page asks it; building costs about as much as running it).
_NEWEST_PUBLISHED = select(func.max(QuestionSetVersion.version)).where(
    QuestionSetVersion.set_id == bindparam("set_id"), QuestionSetVersion.status == "published"
)


def newest_published(session: Session, set_id: str) -> int | None:
    """The newest published version number of a set: one scalar (pages show whether a newer
    version is out; a correlated subquery on the assessment's row measured slower)."""
    return session.scalar(_NEWEST_PUBLISHED, {"set_id": set_id})


def latest_published(session: Session, set_ids: set[str]) -> dict[str, int]:
    """The newest published version number of each of these sets, in one query (for lists)."""
    if not set_ids:
        return {}
    return dict(
        session.execute(
            select(QuestionSetVersion.set_id, func.max(QuestionSetVersion.version))
            .where(
                QuestionSetVersion.set_id.in_(set_ids),
                QuestionSetVersion.status == "published",
            )
            .group_by(QuestionSetVersion.set_id)
        ).all()
    )


def plan_move(session: Session, assessment: Assessment, target: QuestionSetVersion) -> MovePlan:
    if target not in newer_versions(session, assessment):
        raise AssessmentError(_("Choose a newer published version of the same question set."))
    records = records_of(session, assessment)
    return _plan(question_set_of(assessment.question_set_version), target, records)


def _plan(
    old_set: QuestionSet, target: QuestionSetVersion, records: dict[str, AnswerRecord]
) -> MovePlan:
    new_set = question_set_of(target)
    changes = compare_sets(old_set, new_set)
    changed = changes.changed_ids
    answered = {qid: r for qid, r in records.items() if r.status != AnswerStatus.UNANSWERED}
    carried, recheck, refit, removed = [], [], [], []
    for question_id, record in answered.items():
        if not new_set.has_question(question_id):
            removed.append(question_id)
        elif (fitted := answer_of(new_set, record)) is None or not fitted.given:
            refit.append(question_id)
        else:
            carried.append(question_id)
            if question_id in changed:
                recheck.append(question_id)
    old_ids = {q.id for q in old_set.questions()}
    new = [q.id for q in new_set.questions() if q.id not in old_ids]
    return MovePlan(
        target,
        tuple(carried),
        tuple(recheck),
        tuple(refit),
        tuple(removed),
        tuple(new),
        changes,
    )


def move_to_version(
    session: Session, user: User, assessment: Assessment, target: QuestionSetVersion
) -> AssessmentMove:
    """Pin the assessment to ``target``. No answer is deleted: answers to questions the new
    version lacks stay stored (read-only, in the history), and the old version's answers are
    snapshotted so its report can be made again exactly.

    The assessment row is claimed first, conditionally on the version and status just read:
    a second move, a completion or an answer save in flight cannot interleave, and the answers
    are snapshotted after the claim, so the snapshot holds every save accepted before it."""
    db.begin_write(session)
    session.refresh(assessment)
    if assessment.is_completed:
        session.rollback()
        raise AssessmentError(_("Reopen the assessment before moving it to another version."))
    if target not in newer_versions(session, assessment):
        session.rollback()
        raise AssessmentError(_("Choose a newer published version of the same question set."))
    old_version = assessment.question_set_version
    claimed = change_if(
        session,
        assessment,
        Assessment.status == "in_progress",
        Assessment.question_set_version_id == old_version.id,
        question_set_version_id=target.id,
        revision=Assessment.revision + 1,
        updated_by_id=user.id,
        updated_at=utcnow(),
    )
    if not claimed:
        session.rollback()
        raise AssessmentError(
            _(
                "Someone else changed this assessment's version or completed it just now; "
                "nothing was moved. Look at it again."
            )
        )
    records = records_of(session, assessment, fresh=True)
    plan = _plan(question_set_of(old_version), target, records)
    snapshot = [
        {"question_id": r.question_id, "status": r.status, "value": r.value, "comment": r.comment}
        for r in records.values()
    ]
    if plan.recheck:
        # The revision rises too, in SQL: a page opened before the move cannot clear the mark
        # unseen, and no increment is lost to a save racing the move.
        session.execute(
            update(AnswerRecord)
            .where(
                AnswerRecord.assessment_id == assessment.id,
                AnswerRecord.question_id.in_(plan.recheck),
            )
            .values(needs_recheck=True, revision=AnswerRecord.revision + 1)
            .execution_options(synchronize_session=False)
        )
        records = records_of(session, assessment, fresh=True)
    _result, standing = compute_standing(question_set_of(target), records)
    store_standing(session, assessment.id, assessment.revision, target.id, standing)
    move = AssessmentMove(
        assessment_id=assessment.id,
        actor_email=user.email,
        from_version_id=old_version.id,
        to_version_id=target.id,
        answers_snapshot=snapshot,
    )
    session.add(move)
    audit.record(
        session,
        user,
        "assessment.move",
        f"assessment {assessment.id}",
        to=f"{target.set_id} v{target.version}",
        carried=len(plan.carried),
        to_recheck=len(plan.recheck) or None,
        kept_removed=len(plan.removed),
        asked_again=len(plan.refit),
    )
    session.commit()
    session.refresh(assessment)
    return move


def get_move(session: Session, assessment: Assessment, move_id: int) -> AssessmentMove | None:
    """One of this assessment's moves (None for another assessment's: no id swapping)."""
    return session.scalar(
        select(AssessmentMove).where(
            AssessmentMove.id == move_id, AssessmentMove.assessment_id == assessment.id
        )
    )


def moves_of(session: Session, assessment: Assessment) -> list[AssessmentMove]:
    return list(
        session.scalars(
            select(AssessmentMove)
            .where(AssessmentMove.assessment_id == assessment.id)
            .order_by(AssessmentMove.at.desc())
        )
    )


def snapshot_result(move: AssessmentMove) -> Result:
    """The result of the assessment as it was on the old version, from the snapshot."""
    question_set = question_set_of(move.from_version)
    answers = {}
    for row in move.answers_snapshot:
        record = AnswerRecord(
            question_id=row["question_id"],
            status=row["status"],
            value=row["value"],
            comment=row["comment"],
        )
        answer = answer_of(question_set, record)
        if answer is not None:
            answers[row["question_id"]] = answer
    return score(question_set, answers)
