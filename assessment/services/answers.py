"""Saving answers: never an invalid one, and never over a colleague's newer answer.

Every answer is checked against its question (type, range, visibility, comment length) and
against the revision the person started from, before anything is written. A save based on an
outdated revision is a conflict and is refused with the other person's answer. The section page
saves what is valid and names what is not (``keep_valid``): one wrong answer must not cost a
person the six right ones beside it. Scripts and imports save all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment import db
from assessment.limits import MAX_EVIDENCE, MAX_TEXT
from assessment.models import AnswerRecord, Assessment, User, utcnow
from assessment.questionset import Answer, AnswerError, AnswerStatus, QuestionSet
from assessment.scoring import shown_questions
from assessment.scoring.standing import Standing

from .assessments import AssessmentError
from .records import (
    answer_of,
    answers_of,
    compute_standing,
    question_set_of,
    records_of,
    remember_result,
    store_standing,
)


@dataclass
class AnswerInput:
    """One question's submitted state. ``raw`` None clears the answer."""

    question_id: str
    raw: object | None
    comment: str = ""
    marked_for_review: bool = False
    confirm_recheck: bool = False
    base_revision: int = 0
    evidence: str = ""
    checked: date | None = None  # when the evidence was last checked


@dataclass(frozen=True)
class Conflict:
    question_id: str
    changed_by: str
    changed_at: datetime
    answer: str
    comment: str
    revision: int
    evidence: str = ""


@dataclass
class SaveRefused(AssessmentError):
    """Nothing was saved: per-question problems and/or conflicts."""

    problems: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)

    def __str__(self) -> str:
        wrong, changed = len(self.problems), len(self.conflicts)
        if wrong and changed:
            return _(
                "Nothing was saved: %(wrong)s answer(s) need correcting and %(changed)s "
                "answer(s) were changed by someone else.",
                wrong=wrong,
                changed=changed,
            )
        if changed:
            return ngettext(
                "Nothing was saved: %(num)d answer was changed by someone else.",
                "Nothing was saved: %(num)d answers were changed by someone else.",
                changed,
            )
        return ngettext(
            "Nothing was saved: %(num)d answer needs correcting.",
            "Nothing was saved: %(num)d answers need correcting.",
            wrong,
        )


def storable(answer: Answer) -> object:
    """The stored form of an answer: what ``parse_answer`` reads back to the same answer."""
    if answer.value is None:
        return str(answer.status)  # don't know / not applicable of a flagged type
    return list(answer.value) if isinstance(answer.value, tuple) else answer.value


def _check_input(question_set: QuestionSet, item: AnswerInput) -> tuple[str | None, Answer | None]:
    """(problem, parsed answer) for one input."""
    if not question_set.has_question(item.question_id):
        return _("This question is not part of the assessment."), None
    if len(item.comment) > MAX_TEXT:
        return (
            _(
                "The comment is %(length)s characters; at most %(max)s.",
                length=len(item.comment),
                max=MAX_TEXT,
            ),
            None,
        )
    if len(item.evidence) > MAX_EVIDENCE:
        return (
            _(
                "The evidence is %(length)s characters; at most %(max)s: name the document, "
                "test or ticket, not its content.",
                length=len(item.evidence),
                max=MAX_EVIDENCE,
            ),
            None,
        )
    if item.checked is not None and item.checked > date.today():
        return _("The date the evidence was last checked cannot be in the future."), None
    if item.raw is None:
        return None, None
    question = question_set.question(item.question_id)
    try:
        parsed = question.parse_answer(item.raw)
    except AnswerError as exc:
        message = _(exc.template, **exc.params)
        return message[:1].upper() + message[1:] + ".", None
    if parsed.status is AnswerStatus.NOT_APPLICABLE and not item.comment.strip():
        return _("Say briefly in the comment why this does not apply."), None
    return None, Answer(parsed.value, parsed.status, item.comment)


def _conflict(
    question_id: str, record: AnswerRecord | None, base_revision: int, question_set: QuestionSet
) -> Conflict | None:
    current = record.revision if record else 0
    if current == base_revision:
        return None
    if record is None:  # a revision for an answer that does not exist: a stale or forged form
        return Conflict(question_id, "nobody", utcnow(), "no answer", "", 0)
    answer = answer_of(question_set, record) if record else None
    described = answer is not None and answer.given
    words = question_set.question(record.question_id).describe(answer) if described else "no answer"
    return Conflict(
        record.question_id,
        record.updated_by.display_name if record.updated_by else "someone",
        record.updated_at,
        words,
        record.comment,
        current,
        record.evidence,
    )


class _LostRace(Exception):
    """A conditional write changed no row: someone else wrote first, after our read."""


@dataclass(frozen=True)
class Saved:
    """What a save wrote: the records as now stored, and the assessment's new standing (None
    when nothing changed)."""

    records: dict[str, AnswerRecord]
    standing: Standing | None
    refused: SaveRefused | None = None  # with keep_valid: the inputs that were not saved


def save_answers(
    session: Session,
    user: User,
    assessment: Assessment,
    inputs: list[AnswerInput],
    keep_valid: bool = False,
) -> Saved:
    """Check everything, then write everything; raise SaveRefused and write nothing otherwise.
    With ``keep_valid``, write the inputs that pass and return the others in ``refused``
    (SaveRefused is raised only when none passes).

    The decision is made on what the transaction reads, and every write is conditional on
    that still being true (see ``_write``): if a colleague's save committed in between, the
    write changes no row, everything is rolled back, and the check runs again on the new state,
    so the person is shown the colleague's answer exactly as for any other conflict.
    """
    for _attempt in range(3):
        db.begin_write(session)
        question_set, records, parsed, refused = _check_all(session, assessment, inputs, keep_valid)
        valid = [item for item in inputs if item.question_id in parsed]
        try:
            written = _write(session, user, assessment, records, valid, parsed)
            standing = _new_standing(session, assessment, question_set, written)
        except (_LostRace, IntegrityError):
            session.rollback()
            continue
        session.commit()
        saved = _reload(session, assessment, written, standing)
        return Saved(saved.records, saved.standing, refused)
    raise AssessmentError(_("Too many people are saving at once; nothing was saved. Try again."))


def _check_all(
    session: Session, assessment: Assessment, inputs: list[AnswerInput], keep_valid: bool
) -> tuple[QuestionSet, dict[str, AnswerRecord], dict[str, Answer | None], SaveRefused | None]:
    session.refresh(assessment)  # its status and version as committed now, not as first read
    if assessment.is_completed:
        session.rollback()
        raise AssessmentError(
            _("This assessment is completed and read-only. Reopen it to change answers.")
        )
    question_set = question_set_of(assessment.question_set_version)
    records = records_of(session, assessment, fresh=True)
    answers = answers_of(question_set, records)
    refused = SaveRefused()
    parsed: dict[str, Answer | None] = {}
    for item in inputs:
        problem, answer = _check_input(question_set, item)
        if problem:
            refused.problems[item.question_id] = problem
            continue
        conflict = _conflict(
            item.question_id, records.get(item.question_id), item.base_revision, question_set
        )
        if conflict:
            refused.conflicts[item.question_id] = conflict
            if keep_valid:
                continue
        parsed[item.question_id] = answer
    # An answer is refused for a question its save leaves hidden. Without one refused answer
    # another may become hidden (a refused profile answer), so with keep_valid check again.
    while hidden := _hidden_answers(question_set, answers, parsed):
        for question_id in hidden:
            refused.problems[question_id] = (
                "This question is not asked with your other answers (it depends on an earlier "
                "question), so it cannot be answered."
            )
            if keep_valid:
                del parsed[question_id]
        if not keep_valid:
            break
    if (refused.problems or refused.conflicts) and not (keep_valid and parsed):
        session.rollback()
        raise refused
    return (
        question_set,
        records,
        parsed,
        (refused if refused.problems or refused.conflicts else None),
    )


def _hidden_answers(
    question_set: QuestionSet, stored: dict[str, Answer], parsed: dict[str, Answer | None]
) -> list[str]:
    """The given answers among ``parsed`` to questions not asked once ``parsed`` is saved."""
    merged = {k: v for k, v in stored.items() if k not in parsed}
    merged |= {k: v for k, v in parsed.items() if v is not None}
    shown = shown_questions(question_set, merged)
    return [qid for qid, answer in parsed.items() if answer is not None and qid not in shown]


def _write(
    session: Session,
    user: User,
    assessment: Assessment,
    records: dict[str, AnswerRecord],
    inputs: list[AnswerInput],
    parsed: dict[str, Answer | None],
) -> _Written | None:
    """Write the changed answers; raise _LostRace when a conditional write finds the row
    changed since it was read (IntegrityError when a colleague created the same answer)."""
    now = utcnow()
    changes = []
    for item in inputs:
        answer = parsed[item.question_id]
        status = AnswerStatus.UNANSWERED if answer is None else str(answer.status)
        value = None if answer is None else storable(answer)
        record = records.get(item.question_id)
        state = (status, value, item.comment, item.marked_for_review, item.evidence, item.checked)
        stored = record and (
            record.status,
            record.value,
            record.comment,
            record.marked_for_review,
            record.evidence,
            record.evidence_checked,
        )
        if (
            record is not None
            and state == stored
            and not (record.needs_recheck and item.confirm_recheck)
        ):
            continue
        changes.append((item, record, state))
    if not changes:
        return None
    # The assessment row first: on PostgreSQL its row lock orders the writers of one
    # assessment, and the condition refuses a save racing a completion or a version move.
    revision = session.execute(
        update(Assessment)
        .where(
            Assessment.id == assessment.id,
            Assessment.status == "in_progress",
            Assessment.question_set_version_id == assessment.question_set_version_id,
        )
        .values(revision=Assessment.revision + 1, updated_by_id=user.id, updated_at=now)
        .returning(Assessment.revision)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if revision is None:
        raise _LostRace()
    for item, record, (status, value, comment, marked, evidence, checked) in changes:
        fields = {
            "status": status,
            "value": value,
            "comment": comment,
            "marked_for_review": marked,
            "evidence": evidence,
            "evidence_checked": checked,
            "needs_recheck": False,
            "updated_by_id": user.id,
            "updated_at": now,
        }
        if record is None:
            session.execute(
                insert(AnswerRecord).values(
                    assessment_id=assessment.id, question_id=item.question_id, revision=1, **fields
                )
            )
            continue
        changed = session.execute(
            update(AnswerRecord)
            .where(AnswerRecord.id == record.id, AnswerRecord.revision == item.base_revision)
            .values(revision=AnswerRecord.revision + 1, **fields)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            raise _LostRace()
    return _Written([item.question_id for item, _record, _state in changes], revision)


@dataclass(frozen=True)
class _Written:
    question_ids: list[str]
    revision: int  # the assessment's, as raised by this save


def _new_standing(
    session: Session, assessment: Assessment, question_set: QuestionSet, written: _Written | None
) -> Standing | None:
    """The standing after this save, stored in its transaction. The records are read after
    the assessment row was claimed, so they hold every save committed before this one (and
    this one's own writes): the standing stored with a revision is that revision's."""
    if written is None:
        return None
    records = records_of(session, assessment, fresh=True)
    result, standing = compute_standing(question_set, records)
    version_id = assessment.question_set_version_id
    store_standing(session, assessment.id, written.revision, version_id, standing)
    remember_result(assessment, written.revision, result)
    return standing


def _reload(
    session: Session, assessment: Assessment, written: _Written | None, standing: Standing | None
) -> Saved:
    """The written records as stored now."""
    if written is None:
        return Saved({}, None)
    session.expire(assessment)
    records = records_of(session, assessment, fresh=True, question_ids=written.question_ids)
    return Saved(records, standing)
