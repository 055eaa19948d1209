"""Question-set versions in the editor: drafts, edits, publishing, retiring, import.

A draft is stored as YAML text, like every version, and may be invalid while it is being
written; only a valid draft can be published, and publishing freezes it. Each edit changes one
object (the set's metadata, a section, a question, a catalogue entry) and is refused, with the
problems at their fields, when it would leave that object wrong. Problems elsewhere in the draft
do not block an edit: they are listed on the draft's page until fixed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from assessment import db
from assessment.models import (
    Assessment,
    QuestionSetTranslation,
    QuestionSetVersion,
    User,
    VersionStatus,
    utcnow,
)
from assessment.questionset import load_question_set
from assessment.questionset.crossref import Problem
from assessment.questionset.validate import find_problems

from . import audit, draft_log, draft_text, set_translations
from .question_sets import content_hash, import_question_set

# A draft may be incomplete while it is written (a new section before its first question);
# publishing still refuses it.
INCOMPLETE = {"questions: at least 1 item(s) needed", "sections: at least 1 item(s) needed"}


class DraftError(ValueError):
    """A change that cannot be made; the message is shown as it is."""


@dataclass
class EditRefused(DraftError):
    """The edited object has problems: by path below the object, and general ones."""

    by_field: dict[tuple, list[str]]
    general: list[str]

    def __str__(self) -> str:
        return "Nothing was saved: correct the marked fields."


def data_of(version: QuestionSetVersion) -> dict:
    """The version's content as plain data; a draft's may be invalid but is always YAML."""
    return draft_text.read_cached(version.source_yaml)


def problems_of(version: QuestionSetVersion) -> list[Problem]:
    return find_problems(data_of(version))


def content_of(version: QuestionSetVersion) -> tuple[dict, list[Problem]]:
    """The version's data and (for a draft) its problems, from one reading of its text."""
    data = data_of(version)
    return data, find_problems(data) if version.is_draft else []


def versions_by_set(session: Session) -> dict[str, list[tuple[QuestionSetVersion, int]]]:
    """Every version with the number of assessments using it, grouped by set, newest first."""
    counts = dict(
        session.execute(
            select(Assessment.question_set_version_id, func.count(Assessment.id)).group_by(
                Assessment.question_set_version_id
            )
        ).all()
    )
    grouped: dict[str, list] = {}
    for version in session.scalars(
        select(QuestionSetVersion).order_by(
            QuestionSetVersion.set_id, QuestionSetVersion.version.desc()
        )
    ):
        grouped.setdefault(version.set_id, []).append((version, counts.get(version.id, 0)))
    return grouped


def draft_of(session: Session, set_id: str) -> QuestionSetVersion | None:
    return session.scalar(
        select(QuestionSetVersion).where(
            QuestionSetVersion.set_id == set_id, QuestionSetVersion.status == VersionStatus.DRAFT
        )
    )


def _next_number(session: Session, set_id: str) -> int:
    latest = session.scalar(
        select(func.max(QuestionSetVersion.version)).where(QuestionSetVersion.set_id == set_id)
    )
    return (latest or 0) + 1


def _store(
    session: Session,
    actor: User,
    version: QuestionSetVersion,
    data: dict,
    action: str,
    what: str,
    *,
    seen_revision: int,
    changes: list | None = None,
) -> bool:
    """Write the draft's new text if it is still the draft read at ``seen_revision``; False
    (nothing written) when another edit or a publication came first."""
    stored = session.execute(
        update(QuestionSetVersion)
        .where(
            QuestionSetVersion.id == version.id,
            QuestionSetVersion.status == VersionStatus.DRAFT,
            QuestionSetVersion.revision == seen_revision,
        )
        .values(
            source_yaml=draft_text.write_cached(data),
            title=str(data.get("title") or version.set_id)[:300],
            revision=QuestionSetVersion.revision + 1,
            updated_at=utcnow(),
            updated_by=actor.email,
        )
        .execution_options(synchronize_session=False)
    )
    if stored.rowcount != 1:
        session.rollback()
        return False
    audit.record(
        session, actor, action, f"{version.set_id} v{version.version}", what=what, changes=changes
    )
    session.commit()
    session.expire(version)
    return True


@db.writes
def new_draft(session: Session, actor: User, set_id: str, title: str) -> QuestionSetVersion:
    """An empty draft of a new set (version 1): metadata, no sections yet."""
    if session.scalar(
        select(QuestionSetVersion.id).where(QuestionSetVersion.set_id == set_id).limit(1)
    ):
        raise DraftError(
            _(
                "A question set '%(id)s' already exists; copy one of its versions to a draft "
                "instead.",
                id=set_id,
            )
        )
    data = {
        "schema_version": 1,
        "id": set_id,
        "version": 1,
        "title": title,
        "language": "en",
        "sections": [],
    }
    return _create(session, actor, set_id, 1, data, f"new set '{set_id}'")


@db.writes
def copy_to_draft(session: Session, actor: User, source: QuestionSetVersion) -> QuestionSetVersion:
    """A draft of the set's next version, starting from a copy of ``source``."""
    if draft_of(session, source.set_id) is not None:
        raise DraftError(
            _("'%(id)s' already has a draft: edit it, or delete it first.", id=source.set_id)
        )
    number = _next_number(session, source.set_id)
    data = data_of(source) | {"version": number}
    what = f"copy of version {source.version}"
    return _create(session, actor, source.set_id, number, data, what, source)


def _create(
    session: Session,
    actor: User,
    set_id: str,
    number: int,
    data: dict,
    what: str,
    source: QuestionSetVersion | None = None,
) -> QuestionSetVersion:
    draft = QuestionSetVersion(
        set_id=set_id,
        version=number,
        title=str(data.get("title") or set_id)[:300],
        status=VersionStatus.DRAFT,
        source_yaml=draft_text.write_cached(data),
        content_hash="",
        created_by=actor.email,
        updated_by=actor.email,
    )
    session.add(draft)
    # Two administrators making a draft of one set at once both chose the same next number:
    # the unique (set, version) constraint lets only the first through.
    db.flush_unique(
        session,
        DraftError(_("'%(id)s' already has a draft: edit it, or delete it first.", id=set_id)),
    )
    if source is not None:  # its translations come along, to be reviewed where texts change
        set_translations.copy_translations(session, source, draft)
    audit.record(session, actor, "question_set.draft", f"{set_id} v{number}", what=what)
    session.commit()
    return draft


def _require_draft(version: QuestionSetVersion) -> None:
    if not version.is_draft:
        raise DraftError(
            _(
                "Published and retired versions never change; copy this version to a draft to "
                "edit it."
            )
        )


def apply_edit(
    session: Session, actor: User, draft: QuestionSetVersion, change, *, what: str
) -> dict:
    """Apply ``change(data) -> path of the changed object`` to a copy of the draft's data.

    Refused with EditRefused (nothing stored) when the change brings a problem the draft did
    not have: beside its field when it lies inside the changed object, otherwise in general
    (e.g. "question 'x': show_if ..." when a choice that a condition uses was removed).
    Problems compare by message, not by path, because paths shift when objects move.

    The edit is applied to the draft as stored and written only if nobody stored another edit
    in between (the draft's revision); otherwise it is applied again to the new text, so two
    administrators editing one draft at once both keep their edits.
    """
    for _attempt in range(5):
        db.begin_write(session)
        session.refresh(draft)
        _require_draft(draft)
        seen = draft.revision
        data = data_of(draft)  # a fresh reading each time: the change may edit it in place
        original = copy.deepcopy(data)
        before = {found.message for found in find_problems(data)}
        path = tuple(change(data) or ())
        by_field: dict[tuple, list[str]] = {}
        general: list[str] = []
        for found in find_problems(data):
            if found.message in before or found.detail in INCOMPLETE:
                continue
            inside = bool(path) and found.path[: len(path)] == path and len(found.path) > len(path)
            if inside:
                by_field.setdefault(found.path[len(path) :], []).append(found.plain)
            else:
                general.append(found.message)
        if by_field or general:
            session.rollback()
            raise EditRefused(by_field, general)
        changes = draft_log.edit_changes(original, data, path)
        if _store(
            session,
            actor,
            draft,
            data,
            "question_set.edit",
            what,
            seen_revision=seen,
            changes=changes,
        ):
            return data
    raise DraftError(_("The draft is being changed by others right now; nothing was saved. Retry."))


def delete_draft(session: Session, actor: User, draft: QuestionSetVersion) -> None:
    _require_draft(draft)
    db.begin_write(session)
    # Its translations go with it (in the same transaction: if the draft was published
    # meanwhile, the rollback below keeps them).
    session.execute(
        delete(QuestionSetTranslation).where(QuestionSetTranslation.version_id == draft.id)
    )
    deleted = session.execute(
        delete(QuestionSetVersion).where(
            QuestionSetVersion.id == draft.id, QuestionSetVersion.status == VersionStatus.DRAFT
        )
    )
    if deleted.rowcount != 1:
        session.rollback()
        raise DraftError(_("This draft was published or deleted by someone else just now."))
    audit.record(session, actor, "question_set.draft_delete", f"{draft.set_id} v{draft.version}")
    session.commit()
    session.expunge(draft)


def publish(
    session: Session,
    actor: User,
    draft: QuestionSetVersion,
    expected_revision: int | None = None,
) -> QuestionSetVersion:
    """Freeze a valid draft as the set's next version; raise QuestionSetInvalid otherwise.

    What is published is exactly the text that was validated: the update is conditional on the
    draft's revision, so an edit stored meanwhile makes the publication fail, not slip in.
    ``expected_revision`` is the revision whose changes the administrator was shown: a draft
    edited since then is not published."""
    db.begin_write(session)
    session.refresh(draft)
    _require_draft(draft)
    seen = draft.revision
    if expected_revision is not None and expected_revision != seen:
        session.rollback()
        raise DraftError(
            _(
                "The draft was changed after you looked at its changes; nothing was published. "
                "Check the list again."
            )
        )
    question_set = load_question_set(draft.source_yaml, f"{draft.set_id} draft")
    published = session.execute(
        update(QuestionSetVersion)
        .where(
            QuestionSetVersion.id == draft.id,
            QuestionSetVersion.status == VersionStatus.DRAFT,
            QuestionSetVersion.revision == seen,
        )
        .values(
            status=VersionStatus.PUBLISHED,
            content_hash=content_hash(question_set),
            published_at=utcnow(),
            published_by=actor.email,
        )
        .execution_options(synchronize_session=False)
    )
    if published.rowcount != 1:
        session.rollback()
        raise DraftError(
            _(
                "The draft changed or was published while you looked at it; nothing was "
                "published. Check it again."
            )
        )
    audit.record(
        session,
        actor,
        "question_set.publish",
        f"{draft.set_id} v{draft.version}",
        questions=sum(1 for _ in question_set.questions()),
    )
    session.commit()
    session.expire(draft)
    return draft


@db.writes
def set_retired(session: Session, actor: User, version: QuestionSetVersion, retired: bool) -> None:
    """Retired versions are not offered for new assessments; existing ones are untouched."""
    if version.is_draft:
        raise DraftError(_("A draft is not published, so it cannot be retired; delete it instead."))
    version.status = VersionStatus.RETIRED if retired else VersionStatus.PUBLISHED
    audit.record(
        session,
        actor,
        "question_set.retire" if retired else "question_set.reinstate",
        f"{version.set_id} v{version.version}",
    )
    session.commit()


def import_file(
    session: Session, actor: User, source: bytes, filename: str, *, as_draft: bool
) -> QuestionSetVersion:
    """Import a file as a published version (its own version number) or as the set's draft.

    The file must be valid either way (every problem is reported, nothing is stored); aliases,
    oversized files and too many questions are refused by the same reader as the CLI.
    """
    question_set = load_question_set(source, filename)  # raises QuestionSetInvalid
    if not as_draft:
        result = import_question_set(session, source, filename, actor)
        if not result.created:
            raise DraftError(
                _(
                    "%(file)s: version %(version)s of '%(id)s' is already loaded with the same "
                    "content.",
                    file=filename,
                    version=question_set.version,
                    id=question_set.id,
                )
            )
        return result.version
    db.begin_write(session)
    if draft_of(session, question_set.id) is not None:
        raise DraftError(
            _(
                "'%(id)s' already has a draft: delete it before importing another.",
                id=question_set.id,
            )
        )
    number = _next_number(session, question_set.id)
    data = question_set.to_data() | {"version": number}
    return _create(session, actor, question_set.id, number, data, f"import of {filename}")


def export_text(version: QuestionSetVersion) -> str:
    return version.source_yaml
