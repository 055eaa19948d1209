"""A published version's texts in other languages, stored beside the version.

A translation (``questionset.translations``) is checked complete against the version it
translates before it is stored, so whatever reads it gets every text in one language. Pages
and reports ask ``records.question_set_of(version, language)``, which finds the stored
translation's hash with one small query (only when the language is not the set's own) and
parses its text once per process and hash.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment import db
from assessment.models import QuestionSetTranslation, QuestionSetVersion, User, utcnow
from assessment.questionset.translations import (
    Translation,
    TranslationIncomplete,
    check_translation,
)
from assessment.questionset.yaml_io import load_yaml

from . import audit


def check_against(version: QuestionSetVersion, data: bytes | str, filename: str) -> Translation:
    """The translation checked against the stored version's text."""
    base = load_yaml(version.source_yaml)
    return check_translation(base, f"{version.set_id} v{version.version}", data, filename)


def store_translation(
    session: Session,
    version: QuestionSetVersion,
    data: bytes | str,
    filename: str,
    actor: User | None = None,
) -> tuple[QuestionSetTranslation, bool]:
    """Store (or replace) the version's translation into the file's language; returns the
    row and whether anything changed. Raises TranslationIncomplete (every problem, with
    file:line) and writes nothing unless the translation is complete."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    unchanged = session.scalar(
        select(QuestionSetTranslation).where(
            QuestionSetTranslation.version_id == version.id,
            QuestionSetTranslation.content_hash == digest,
        )
    )
    if unchanged is not None:  # this very text, checked when it was stored
        return unchanged, False
    translation = check_against(version, data, filename)
    if not translation.complete:
        raise TranslationIncomplete(translation)
    db.begin_write(session)
    row = session.scalar(
        select(QuestionSetTranslation).where(
            QuestionSetTranslation.version_id == version.id,
            QuestionSetTranslation.language == translation.language,
        )
    )
    if row is None:
        row = QuestionSetTranslation(version_id=version.id, language=translation.language)
        session.add(row)
    row.source_yaml = text
    row.content_hash = digest
    row.machine_drafted = translation.machine_drafted
    row.updated_at = utcnow()
    row.updated_by = actor.email if actor else "system"
    audit.record(
        session,
        actor,
        "question_set.translation",
        f"{version.set_id} version {version.version}",
        language=translation.language,
        file=filename,
    )
    try:
        session.commit()
    except IntegrityError:  # another store of this language landed first: decide again
        session.rollback()
        return store_translation(session, version, data, filename, actor)
    return row, True


def translation_hash(session: Session, version_id: int, language: str) -> str | None:
    """The stored translation's hash (None: none in that language). One indexed row."""
    return session.scalar(
        select(QuestionSetTranslation.content_hash).where(
            QuestionSetTranslation.version_id == version_id,
            QuestionSetTranslation.language == language,
        )
    )


def translation_text(session: Session, version_id: int, language: str) -> str | None:
    return session.scalar(
        select(QuestionSetTranslation.source_yaml).where(
            QuestionSetTranslation.version_id == version_id,
            QuestionSetTranslation.language == language,
        )
    )


def languages_of(session: Session, version_ids: list[int]) -> dict[int, list[tuple[str, bool]]]:
    """Each version's translations: (language, machine-drafted), by language."""
    found: dict[int, list[tuple[str, bool]]] = {vid: [] for vid in version_ids}
    rows = session.execute(
        select(
            QuestionSetTranslation.version_id,
            QuestionSetTranslation.language,
            QuestionSetTranslation.machine_drafted,
        )
        .where(QuestionSetTranslation.version_id.in_(version_ids))
        .order_by(QuestionSetTranslation.language)
    )
    for version_id, language, drafted in rows:
        found[version_id].append((language, drafted))
    return found
