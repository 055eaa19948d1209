"""Question-set versions in the database: import (idempotent), look-up, export."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment import db
from assessment.models import QuestionSetVersion, User, utcnow
from assessment.questionset import QuestionSet, load_question_set

from . import audit


class QuestionSetConflict(ValueError):
    """The same id and version already exist with other content."""


@dataclass(frozen=True)
class ImportResult:
    version: QuestionSetVersion
    created: bool


def content_hash(question_set: QuestionSet) -> str:
    """Hash of the content, not the text: comments and layout changes are not changes."""
    canonical = json.dumps(question_set.to_data(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def import_question_set(
    session: Session, source: bytes | str, filename: str, actor: User | None = None
) -> ImportResult:
    """Store a published version; the same file twice changes nothing.

    Raises QuestionSetInvalid (every problem) or QuestionSetConflict; nothing is written then.
    """
    question_set = load_question_set(source, filename)
    digest = content_hash(question_set)
    db.begin_write(session)
    existing = find_version(session, question_set.id, question_set.version)
    if existing is not None:
        if existing.content_hash == digest:
            return ImportResult(existing, created=False)
        raise QuestionSetConflict(
            f"{filename}: question set '{question_set.id}' version {question_set.version} is "
            "already loaded with different content; raise `version` in the file to publish "
            "the change as a new version"
        )
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    version = QuestionSetVersion(
        set_id=question_set.id,
        version=question_set.version,
        title=question_set.title,
        status="published",
        source_yaml=text,
        content_hash=digest,
        created_by=actor.email if actor else "system",
        updated_by=actor.email if actor else "system",
        published_at=utcnow(),
        published_by=actor.email if actor else "system",
    )
    session.add(version)
    try:
        session.flush()
    except IntegrityError:
        # Another import stored this id and version since we looked: decide on what it stored.
        session.rollback()
        return import_question_set(session, source, filename, actor)
    audit.record(
        session,
        actor,
        "question_set.import",
        f"{question_set.id} version {question_set.version}",
        file=filename,
    )
    session.commit()
    return ImportResult(version, created=True)


class NotFound(LookupError):
    """No such version (the page answers 404)."""


def get_version(session: Session, version_id: int) -> QuestionSetVersion:
    found = session.get(QuestionSetVersion, version_id)
    if found is None:
        raise NotFound(version_id)
    return found


def find_version(
    session: Session, set_id: str, version: int | None = None
) -> QuestionSetVersion | None:
    """A version by number, or the latest published one."""
    query = select(QuestionSetVersion).where(QuestionSetVersion.set_id == set_id)
    if version is not None:
        return session.scalar(query.where(QuestionSetVersion.version == version))
    return session.scalar(
        query.where(QuestionSetVersion.status == "published")
        .order_by(QuestionSetVersion.version.desc())
        .limit(1)
    )
