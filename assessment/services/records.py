"""An assessment's stored answers, and what is derived from them: its result and its standing.

Pages do only their own work: the question set of a version is parsed once per process; the
result is computed once per state of an assessment (its id, revision and version) and kept in
a small per-process cache; the standing (score, level, open weaknesses, progress) is stored with
the assessment in the same transaction as every change, so lists and section pages read one row
instead of scoring.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, object_session

from assessment import db
from assessment.limits import AnswerStatus
from assessment.lru import LRUCache
from assessment.models import AnswerRecord, Assessment, QuestionSetVersion
from assessment.questionset import Answer, AnswerError, QuestionSet, load_question_set
from assessment.questionset.translations import apply_translation
from assessment.questionset.yaml_io import load_yaml
from assessment.scoring import Result, score
from assessment.scoring import standing as standings
from assessment.scoring.standing import Standing

from . import set_translations

# Parsed question sets: a version's own (id, content hash) and its translations (id, content
# hash, language, translation hash). Drafts have no content hash and change: never kept.
_PARSED = LRUCache(64)


def question_set_of(
    version: QuestionSetVersion, language: str | None = None, session: Session | None = None
) -> QuestionSet:
    """The parsed, immutable question set of a stored version, parsed once per process (its
    deferred, large text is loaded only on the first call). With ``language``, the version in
    that language if a translation of it is stored (``services.set_translations``), else in
    its own."""
    return question_set_in(version, texts_of(version, language, session), session)


def texts_of(
    version: QuestionSetVersion, language: str | None, session: Session | None = None
) -> tuple[str, str] | None:
    """Which texts the version has in ``language``: (language, the stored translation's
    hash), or None for the version's own. It costs one small query, only when the language is
    not the set's own; it is part of every key under which something drawn from those texts
    is kept, and ``question_set_in`` takes it."""
    if language is None or language == _base_set(version).language:
        return None
    session = session or object_session(version)
    digest = set_translations.translation_hash(session, version.id, language)
    return (language, digest) if digest else None


def question_set_in(
    version: QuestionSetVersion, texts: tuple[str, str] | None, session: Session | None = None
) -> QuestionSet:
    """The version in the texts ``texts_of`` named: its own (None), or its translation, once
    per process and translation hash. A translation with texts missing or to review gives
    the version's own texts: never half of each."""
    if texts is None:
        return _base_set(version)
    key = (version.id, version.content_hash, *texts)
    translated = _PARSED.get(key)
    if translated is None:
        language, _digest = texts
        session = session or object_session(version)
        translation = set_translations.usable_translation(session, version, language)
        translated = _base_set(version)
        if translation is not None:
            file = f"{version.set_id} v{version.version} ({language})"
            translated = apply_translation(load_yaml(version.source_yaml), translation, file)
        if version.content_hash:
            _PARSED.put(key, translated)
    return translated


def _base_set(version: QuestionSetVersion) -> QuestionSet:
    key = (version.id, version.content_hash)
    parsed = _PARSED.get(key) if version.content_hash else None
    if parsed is None:
        parsed = load_question_set(version.source_yaml, f"{version.set_id} v{version.version}")
        if version.content_hash:
            _PARSED.put(key, parsed)
    return parsed


def records_of(
    session: Session,
    assessment: Assessment,
    *,
    fresh: bool = False,
    question_ids: list[str] | None = None,
) -> dict[str, AnswerRecord]:
    """The assessment's answer records (only those of ``question_ids`` if given); ``fresh``
    overwrites records already loaded in this session with what is stored now (a write
    decides on the stored state, never a stale one)."""
    query = (
        select(AnswerRecord)
        .where(AnswerRecord.assessment_id == assessment.id)
        .options(joinedload(AnswerRecord.updated_by))
    )
    if question_ids is not None:
        query = query.where(AnswerRecord.question_id.in_(question_ids))
    if fresh:
        query = query.execution_options(populate_existing=True)
    return {row.question_id: row for row in session.scalars(query)}


def answer_of(question_set: QuestionSet, record: AnswerRecord) -> Answer | None:
    """The record as an answer to its question; an unanswered one that carries a comment or
    evidence is kept (status UNANSWERED) so that its text reaches the report and exports."""
    if not question_set.has_question(record.question_id):
        return None
    notes = {
        "comment": record.comment,
        "evidence": record.evidence or "",
        "checked": record.evidence_checked.isoformat() if record.evidence_checked else None,
    }
    notes["marked"] = record.marked_for_review
    if record.status == AnswerStatus.UNANSWERED:
        if record.comment or record.evidence or record.marked_for_review:
            return Answer(None, AnswerStatus.UNANSWERED, **notes)
        return None
    try:
        parsed = question_set.question(record.question_id).parse_answer(record.value)
    except AnswerError:
        return None  # stored under an older version and no longer fits: not scored
    return Answer(parsed.value, parsed.status, **notes)


def answers_of(question_set: QuestionSet, records: dict[str, AnswerRecord]) -> dict[str, Answer]:
    answers = {}
    for question_id, record in records.items():
        answer = answer_of(question_set, record)
        if answer is not None:
            answers[question_id] = answer
    return answers


# The result, once per state


# Results by state: the assessment (id and creation time, so that a restored or reset database
# reusing an id cannot match), its revision, its version (id and content hash) and the texts
# they were scored in (``texts_of``). A saved change raises the revision, so an entry is never
# stale, only unused.
RESULTS = LRUCache(128)


def state_key(assessment: Assessment, revision: int | None = None) -> tuple:
    """What names a state of an assessment (at ``revision``, else the row's own): everything
    derived from its answers (the result, the results page's HTML) is kept under it."""
    revision = assessment.revision if revision is None else revision
    version = assessment.question_set_version
    return (
        assessment.id,
        assessment.created_at,
        revision,
        version.id,
        version.content_hash,
        standings.FORMAT,
    )


def remember_result(assessment: Assessment, revision: int, result: Result) -> None:
    """Keep a result just computed (by a save) for the pages that show that state."""
    RESULTS.put((*state_key(assessment, revision), None), result)


def result_of(
    session: Session, assessment: Assessment, texts: tuple[str, str] | None = None
) -> Result:
    """The assessment's result at its current revision, computed once per state and texts
    (``texts_of``: its question set's own, or a translation's)."""
    cached = RESULTS.get((*state_key(assessment, assessment.revision), texts))
    if cached is not None:
        return cached
    records, revision = _records_with_revision(session, assessment)
    question_set = question_set_in(assessment.question_set_version, texts, session)
    result = score(question_set, answers_of(question_set, records))
    RESULTS.put((*state_key(assessment, revision), texts), result)
    return result


def _records_with_revision(
    session: Session, assessment: Assessment
) -> tuple[dict[str, AnswerRecord], int]:
    """The records and the assessment's revision read in one statement, so that what is
    derived from them is kept under the revision it really belongs to, even if a save lands
    between a page's reads. (A version move keeps the records: the version is the page's.)"""
    rows = session.execute(
        select(AnswerRecord, Assessment.revision)
        .join(Assessment, Assessment.id == AnswerRecord.assessment_id)
        .where(AnswerRecord.assessment_id == assessment.id)
        .options(joinedload(AnswerRecord.updated_by))
    ).all()
    revision = rows[0][1] if rows else assessment.revision
    return {record.question_id: record for record, _ in rows}, revision


# The standing, stored with the assessment


def compute_standing(
    question_set: QuestionSet, records: dict[str, AnswerRecord]
) -> tuple[Result, Standing]:
    result = score(question_set, answers_of(question_set, records))
    standing = standings.standing_of(
        result,
        recheck=sum(r.needs_recheck for r in records.values()),
        marked=sum(r.marked_for_review for r in records.values()),
    )
    return result, standing


def store_standing(
    session: Session, assessment_id: int, revision: int, version_id: int, standing: Standing
) -> None:
    """Write the standing of a state, in the caller's transaction; only if the assessment is
    still at that revision and version (a concurrent change stores its own)."""
    data = standing.to_data() | {
        "format": standings.FORMAT,
        "revision": revision,
        "version_id": version_id,
    }
    session.execute(
        update(Assessment)
        .where(
            Assessment.id == assessment_id,
            Assessment.revision == revision,
            Assessment.question_set_version_id == version_id,
        )
        .values(standing=data)
        .execution_options(synchronize_session=False)
    )


def standing_of(session: Session, assessment: Assessment) -> Standing:
    """The stored standing if it belongs to the assessment's current state; otherwise (an
    assessment from before standings were stored, or a new scoring format) computed and
    stored now."""
    stored = assessment.standing
    if (
        stored
        and stored.get("format") == standings.FORMAT
        and stored.get("revision") == assessment.revision
        and stored.get("version_id") == assessment.question_set_version_id
    ):
        return Standing.from_data(stored)
    records, revision = _records_with_revision(session, assessment)
    question_set = question_set_of(assessment.question_set_version)
    result, standing = compute_standing(question_set, records)
    RESULTS.put((*state_key(assessment, revision), None), result)
    db.begin_write(session)
    store_standing(session, assessment.id, revision, assessment.question_set_version_id, standing)
    session.commit()
    return standing
