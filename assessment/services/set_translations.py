"""A published version's texts in other languages, stored beside the version.

A translation (``questionset.translations``) is checked complete against the version it
translates before it is stored, so whatever reads it gets every text in one language. Pages
and reports ask ``records.question_set_of(version, language)``, which finds the stored
translation's hash with one small query (only when the language is not the set's own) and
parses its text once per process and hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment import db
from assessment.lru import LRUCache
from assessment.models import QuestionSetTranslation, QuestionSetVersion, User, utcnow
from assessment.questionset.base import Phrase
from assessment.questionset.crossref import Problem, line_of
from assessment.questionset.translations import (
    TextKey,
    Translation,
    TranslationIncomplete,
    check_translation,
    text_slots,
    translated_texts,
)
from assessment.questionset.yaml_io import YamlError, dump_yaml, load_yaml

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
    *,
    language: str | None = None,
) -> tuple[QuestionSetTranslation, bool]:
    """Store (or replace) the version's translation into the file's language; returns the
    row and whether anything changed. Raises TranslationIncomplete (every problem, with
    file:line) and writes nothing unless the translation is complete; with ``language`` (a
    file uploaded on that language's page), also if the file translates into another."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        text = None  # the check below says where
    reviewed = base_texts(version)  # a checked file translates the texts as they are
    if text is not None:
        digest = _digest(text, reviewed)
        query = select(QuestionSetTranslation).where(
            QuestionSetTranslation.version_id == version.id,
            QuestionSetTranslation.content_hash == digest,
        )
        if language:
            query = query.where(QuestionSetTranslation.language == language)
        unchanged = session.scalar(query)
        if unchanged is not None:  # this very text, checked when it was stored
            return unchanged, False
    translation = check_against(version, data, filename)
    if language and translation.language and translation.language != language:
        translation = _refused_language(translation, data, filename, language)
    if not translation.complete:
        raise TranslationIncomplete(translation)
    digest = _digest(text, reviewed)  # checked: UTF-8 text
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
    else:  # a page opened on the old text must not save over the new one unseen
        row.revision = QuestionSetTranslation.revision + 1
    row.source_yaml = text
    row.content_hash = digest
    row.machine_drafted = translation.machine_drafted
    row.reviewed = reviewed
    row.updated_at = utcnow()
    row.updated_by = actor.email if actor else "system"
    audit.record(
        session,
        actor,
        "question_set.translation",
        f"{version.set_id} version {version.version}",
        language=translation.language,
        file=filename,
        machine_drafted=translation.machine_drafted,
    )
    try:
        session.commit()
    except IntegrityError:  # another store of this language landed first: decide again
        session.rollback()
        return store_translation(session, version, data, filename, actor, language=language)
    session.expire(row, ["revision"])  # the database's new value, read when asked for
    return row, True


def _refused_language(
    translation: Translation, data: bytes | str, filename: str, language: str
) -> Translation:
    """The translation with one more problem: it is not into the page's language."""
    wrong = Problem(
        _language_line(data),
        (),
        "",
        Phrase(
            "language: this file translates into '%(found)s'; this page is the translation "
            "into '%(language)s'",
            found=translation.language,
            language=language,
        ),
        file=filename,
    )
    return replace(translation, problems=tuple(sorted((*translation.problems, wrong))))


def _language_line(data: bytes | str) -> int:
    """The line of the file's ``language:`` (parsed again only for this rare refusal)."""
    try:
        return line_of(load_yaml(data), "language")
    except YamlError:
        return 1


def _digest(text: str, reviewed: dict[str, str]) -> str:
    """What names a stored translation's state: its text and what each text was reviewed
    against (a text ticked "still correct" changes what pages show, not the text)."""
    state = text + "\n" + json.dumps(reviewed, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def key_name(key: TextKey) -> str:
    """A text's key as one string (ids never hold a '/'), for forms and ``reviewed``."""
    return "/".join(key)


def base_texts(version: QuestionSetVersion) -> dict[str, str]:
    """Every translatable text of the version as it is now, by key name (a published
    version's are read once per process: importing four translations parses the set once)."""
    key = (version.id, version.content_hash)
    texts = _PUBLISHED_TEXTS.get(key) if version.content_hash else None
    if texts is None:
        raw = load_yaml(version.source_yaml)
        texts = {key_name(slot.key): slot.text for slot in text_slots(raw)}
        if version.content_hash:
            _PUBLISHED_TEXTS.put(key, texts)
    return dict(texts)


_PUBLISHED_TEXTS = LRUCache(16)


def translation_hash(session: Session, version_id: int, language: str) -> str | None:
    """The stored translation's hash (None: none in that language). One indexed row."""
    return session.scalar(
        select(QuestionSetTranslation.content_hash).where(
            QuestionSetTranslation.version_id == version_id,
            QuestionSetTranslation.language == language,
        )
    )


def usable_translation(
    session: Session, version: QuestionSetVersion, language: str
) -> Translation | None:
    """The stored translation if pages may use it: every text there, none to review (a base
    text edited since it was translated). Otherwise None: the version's own language."""
    row = _row(session, version.id, language)
    if row is None:
        return None
    file = f"{version.set_id} v{version.version} ({language})"
    translation = check_against(version, row.source_yaml, file)
    reviewed = row.reviewed or {}
    if not translation.complete or any(
        reviewed.get(name) != base for name, base in base_texts(version).items()
    ):
        return None
    return translation


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


# Editing in the browser: side by side with the base texts


class TranslationConflict(Exception):
    """The translation was saved by someone else since the page was opened."""


@dataclass(frozen=True)
class TextRow:
    key: str  # key_name: "questions/q1/choices/yes/label"
    base: str
    text: str
    state: str  # "done", "missing" or "review" (its base text changed since)
    group: str  # the page it is edited on: "set", a section's id, "mitigations", ...


@dataclass(frozen=True)
class Editing:
    version: QuestionSetVersion
    language: str
    rows: list[TextRow]
    revision: int | None  # None: not started yet
    machine_drafted: bool
    base_language: str  # of the version's own texts

    def count(self, state: str, group: str | None = None) -> int:
        return sum(1 for r in self.rows if r.state == state and group in (None, r.group))

    def groups(self) -> list[str]:
        """The pages of the translation, in the set's order: a page each for the set's own
        texts, each section (with its questions) and each kind of catalogue entry, so that
        no form is larger than a section (a whole set's form would be thousands of fields)."""
        found = list(dict.fromkeys(row.group for row in self.rows))
        return sorted(found, key=lambda g: GROUP_ORDER.get(g, 1))  # stable: sections in order

    @property
    def usable(self) -> bool:
        """Whether pages and reports use it: every text there and none to review."""
        return self.revision is not None and not self.count("missing") and not self.count("review")


def _row(session: Session, version_id: int, language: str) -> QuestionSetTranslation | None:
    return session.scalar(
        select(QuestionSetTranslation).where(
            QuestionSetTranslation.version_id == version_id,
            QuestionSetTranslation.language == language,
        )
    )


def _texts_of_row(row: QuestionSetTranslation | None) -> dict[str, str]:
    if row is None:
        return {}
    found = translated_texts(load_yaml(row.source_yaml))
    return {key_name(key): value for key, (value, _line) in found.items() if isinstance(value, str)}


def state_of(base: str, text: str | None, reviewed: str | None) -> str:
    if not text:
        return "missing"
    return "done" if reviewed == base else "review"


def editing(session: Session, version: QuestionSetVersion, language: str) -> Editing:
    """Every text of the version beside its translation, each marked done, missing or to
    review."""
    row = _row(session, version.id, language)
    texts = _texts_of_row(row)
    reviewed = (row.reviewed if row else {}) or {}
    base = load_yaml(version.source_yaml)
    sections = _sections_of_questions(base)
    rows = [
        TextRow(
            key_name(slot.key),
            slot.text,
            texts.get(key_name(slot.key), ""),
            state_of(slot.text, texts.get(key_name(slot.key)), reviewed.get(key_name(slot.key))),
            _group_of(slot.key, sections),
        )
        for slot in text_slots(base)
    ]
    return Editing(
        version,
        language,
        rows,
        row.revision if row else None,
        bool(row and row.machine_drafted),
        str(base.get("language") or "en"),
    )


SECTION_GROUP = "section:"
# The set's own texts first, then its sections with their questions (what officers read),
# then the catalogues.
GROUP_ORDER = {
    "set": 0,
    "scales": 2,
    "mitigations": 3,
    "threats": 4,
    "frameworks": 5,
    "references": 6,
}


def _sections_of_questions(base) -> dict[str, str]:
    found = {}
    for section in base.get("sections") or [] if isinstance(base, dict) else []:
        for question in section.get("questions") or []:
            found[str(question.get("id"))] = str(section.get("id"))
    return found


def _group_of(key: TextKey, sections: dict[str, str]) -> str:
    if key[0] == "sections":
        return SECTION_GROUP + key[1]
    if key[0] == "questions":
        return SECTION_GROUP + sections.get(key[1], "")
    return key[0]


def translation_yaml(
    version: QuestionSetVersion, language: str, texts: dict[TextKey, str], drafted: bool
) -> str:
    """A translation file of the version (the format ``questionset.translations`` reads)."""
    nested: dict = {}
    for key, value in texts.items():
        node = nested
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = value
    header = {"translation_of": version.set_id, "version": version.version, "language": language}
    if drafted:
        header["machine_drafted"] = True
    return dump_yaml(header | nested)


def translation_file(session: Session, version: QuestionSetVersion, language: str) -> str:
    """The translation as a file for a translator: every text of the version by its id, the
    stored translation where there is one and "" where none is written yet. Uploaded back, an
    empty text is refused at its line, so a half-done file is never stored; a complete one is
    the stored file itself, which uploads back as "nothing changed"."""
    stored = _texts_of_row(row := _row(session, version.id, language))
    texts = {
        slot.key: stored.get(key_name(slot.key), "")
        for slot in text_slots(load_yaml(version.source_yaml))
    }
    if row is not None and all(texts.values()):
        return row.source_yaml
    return translation_yaml(version, language, texts, bool(row and row.machine_drafted))


def save_texts(
    session: Session,
    actor: User,
    version: QuestionSetVersion,
    language: str,
    submitted: dict[str, str],
    still_correct: set[str],
    revision: int | None,
    confirmed: bool = False,
) -> int:
    """Write the texts an administrator gave; returns how many changed. A text written (or
    ticked "still correct") is reviewed against the base text as it is now; an emptied one is
    missing again. ``revision`` is the translation's when the page was opened: if anyone
    saved it since, nothing is written (TranslationConflict)."""
    slots = {key_name(slot.key): slot for slot in text_slots(load_yaml(version.source_yaml))}
    row = _row(session, version.id, language)
    if (row.revision if row else None) != revision:
        raise TranslationConflict()
    texts = _texts_of_row(row)
    reviewed = dict((row.reviewed if row else {}) or {})
    changed = 0
    for name, value in submitted.items():
        if name not in slots:
            continue  # a text the version no longer has (an edit of the base meanwhile)
        value = value.strip()
        if value != texts.get(name, ""):
            changed += 1
            texts[name] = value
            reviewed[name] = slots[name].text
        elif name in still_correct and value:
            changed += 1
            reviewed[name] = slots[name].text
    if not changed and not confirmed:
        return 0
    drafted = bool(row and row.machine_drafted) and not confirmed
    kept = {slots[name].key: value for name, value in texts.items() if name in slots and value}
    text = translation_yaml(version, language, kept, drafted)
    reviewed = {name: base for name, base in reviewed.items() if name in slots}
    values = {
        "source_yaml": text,
        "content_hash": _digest(text, reviewed),
        "machine_drafted": drafted,
        "reviewed": reviewed,
        "updated_at": utcnow(),
        "updated_by": actor.email,
    }
    db.begin_write(session)
    if row is None:
        session.add(QuestionSetTranslation(version_id=version.id, language=language, **values))
    else:
        done = session.execute(
            update(QuestionSetTranslation)
            .where(
                QuestionSetTranslation.id == row.id,
                QuestionSetTranslation.revision == revision,
            )
            .values(revision=QuestionSetTranslation.revision + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            session.rollback()
            raise TranslationConflict()
    audit.record(
        session,
        actor,
        "question_set.translation",
        f"{version.set_id} version {version.version}",
        language=language,
        texts=changed,
        confirmed=confirmed or None,
    )
    try:
        session.commit()
    except IntegrityError:  # someone started this language at the same moment
        session.rollback()
        raise TranslationConflict() from None
    session.expire_all()
    return changed


def copy_translations(session: Session, source: QuestionSetVersion, draft: QuestionSetVersion):
    """A new draft starts with its source's translations, each text reviewed against the
    source's base text: a base text edited in the draft then shows as "to review". In the
    caller's transaction."""
    rows = session.scalars(
        select(QuestionSetTranslation).where(QuestionSetTranslation.version_id == source.id)
    ).all()
    slots = {key_name(slot.key): slot for slot in text_slots(load_yaml(source.source_yaml))}
    for row in rows:
        texts = _texts_of_row(row)
        kept = {slots[n].key: v for n, v in texts.items() if n in slots and v}
        text = translation_yaml(draft, row.language, kept, row.machine_drafted)
        reviewed = dict(row.reviewed or {})
        session.add(
            QuestionSetTranslation(
                version_id=draft.id,
                language=row.language,
                source_yaml=text,
                content_hash=_digest(text, reviewed),
                machine_drafted=row.machine_drafted,
                reviewed=reviewed,
                updated_by=row.updated_by,
            )
        )
