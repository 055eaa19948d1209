"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from assessment.db import Base, make_engine
from assessment.migrate import revisions, upgrade


# Reflection cannot read expression indexes (lower(name)); a test below checks that one.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_the_migrated_schema_matches_the_models(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_organisation_names_are_unique_whatever_their_case(database_url):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(database_url)
    insert = text(
        "INSERT INTO organisation (name, kind, country, active, require_mfa, created_at) "
        "VALUES (:name, 'terminal', 'NL', true, false, CURRENT_TIMESTAMP)"
    )
    try:
        with engine.connect() as connection:
            connection.execute(insert, {"name": "Case Test Port"})
            with pytest.raises(IntegrityError):
                connection.execute(insert, {"name": "CASE TEST PORT"})
            connection.rollback()
    finally:
        engine.dispose()


# Upgrades with data: from every earlier revision to head, on both databases. The revisions
# come from the migrations' script directory, so a new one is tested as soon as it is added.
# Rows are written with the schema as it was at that revision (reflected from the database, not
# today's models), then the upgrade must keep every value of every column that still exists,
# and the app must read the data at head.

SCORING_SET = Path(__file__).resolve().parents[1] / "data" / "scoring.yaml"
WHEN = datetime(2026, 3, 4, 5, 6, 7)
# What a representative row holds, by table and column; other columns get a value of their
# type (or are left to their default), foreign keys point at the rows written before.
VALUES: dict[str, dict[str, object]] = {
    "organisation": {
        "name": "Port of Migration",
        "kind": "terminal",
        "country": "NL",
        "active": True,
        "require_mfa": True,
    },
    "user_account": {
        "email": "officer@migration.example",
        "display_name": "Migrating Officer",
        "role": "officer",
        "active": True,
        "password_hash": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
        "session_nonce": "nonce-1",
        "recovery_codes": ["a" * 64, "b" * 64],
        "mfa_secret": None,
    },
    "audit_event": {
        "actor_email": "officer@migration.example",
        "action": "assessment.start",
        "target": "assessment 1",
        "details": {"question_set": "scoring v1"},
    },
    "question_set_version": {
        "set_id": "scoring",
        "version": 1,
        "title": "Scoring fixture",
        "status": "published",
        "source_yaml": SCORING_SET.read_text(encoding="utf-8"),
        "content_hash": "c" * 64,
        "created_by": "system",
        "updated_by": "system",
        "published_by": "system",
    },
    "assessment": {
        "title": "Annual check 2026",
        "scope": "The whole port",
        "status": "in_progress",
        "revision": 2,
        "based_on_id": None,
        "standing": None,
        "completed_by_id": None,
        "completed_at": None,
    },
    "answer": {
        "question_id": "a1",
        "status": "answered",
        "value": "partly",
        "comment": "Two lanes still use PINs.",
        "marked_for_review": True,
        "needs_recheck": False,
        "revision": 2,
        "evidence": "Gate access log, March",
        "evidence_checked": date(2026, 3, 1),
    },
    "report_cache": {"cache_key": "k" * 64, "pdf": b"%PDF-1.7 cached"},
    "assessment_move": {"actor_email": "officer@migration.example", "answers_snapshot": []},
    "recovery_code": {"code_hash": "d" * 64},
    "report": {
        "state_key": "s" * 64,
        "kind": "assessment",
        "status": "ready",
        "filename": "annual-check-2026.pdf",
        "html": "<html>report</html>",
        "attachment": "{}",
        "pdf": b"%PDF-1.7 report",
        "pages": 3,
        "error": None,
        "attempts": 1,
    },
    "rate_limit_counter": {"key": "login/officer@migration.example", "count": 3},
}
# Tables a later migration replaces on purpose: report_cache (0008) was a cache of PDFs,
# remade on demand; user_account.recovery_codes (0006) became recovery_code rows.
REPLACED = {"report_cache", "user_account.recovery_codes"}


def _type_value(column):
    """A value of the column's type, for columns VALUES does not name."""
    kind = column.type
    for python_type, value in (
        (sa.Boolean, False),
        (sa.DateTime, WHEN),
        (sa.Date, WHEN.date()),
        (sa.Float, 1.5),
        (sa.Integer, 1),
        (sa.LargeBinary, b"bytes"),
        (sa.JSON, {}),
        (sa.String, "x"),
    ):
        if isinstance(kind, python_type):
            return value
    return "x"


def _row(table, written: dict[str, dict]) -> dict:
    wanted = VALUES.get(table.name, {})
    row = {}
    for column in table.columns:
        if column.primary_key and isinstance(column.type, sa.Integer):
            continue  # numbered by the database
        if column.name in wanted and wanted[column.name] is None:
            row[column.name] = None
        elif column.foreign_keys:
            (key,) = column.foreign_keys
            referred = written.get(key.column.table.name)
            row[column.name] = referred[key.column.name] if referred else None
        elif column.name in wanted:
            row[column.name] = wanted[column.name]
        elif column.server_default is not None and column.nullable is False:
            continue  # the migration's default, as rows written before it got
        elif not column.nullable or column.name.endswith("_at"):
            row[column.name] = _type_value(column)
    return row


def _write_rows(engine) -> dict[str, dict]:
    """One row per table of the schema as it is now; returns them with their keys."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    written: dict[str, dict] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            row = _row(table, written)
            inserted = connection.execute(table.insert().values(**row))
            key = inserted.inserted_primary_key
            for column, value in zip(table.primary_key.columns, key, strict=True):
                row[column.name] = value
            written[table.name] = row
    return written


def _read_back(engine, written: dict[str, dict]) -> dict[str, dict]:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    found = {}
    with engine.connect() as connection:
        for name, row in written.items():
            if name not in metadata.tables:
                continue
            table = metadata.tables[name]
            where = [table.c[c.name] == row[c.name] for c in table.primary_key.columns]
            stored = connection.execute(sa.select(table).where(*where)).mappings().one_or_none()
            found[name] = dict(stored) if stored is not None else None
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    """A database with nothing in it, of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrating.db'}"
        return
    admin_url = request.getfixturevalue("postgres_url")  # skips when PostgreSQL is absent
    name = f"port_assess_migrating_{secrets.token_hex(4)}"
    admin = make_engine(admin_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.parametrize("revision", revisions()[:-1])
def test_an_upgrade_from_each_earlier_revision_keeps_every_row(empty_database, revision):
    engine = make_engine(empty_database)
    try:
        upgrade(engine, revision)
        written = _write_rows(engine)
        upgrade(engine)
        found = _read_back(engine, written)
    finally:
        engine.dispose()
    for table, row in written.items():
        if table in REPLACED:
            continue
        assert found.get(table) is not None, f"the {table} row written at {revision} is gone"
        kept = {c: found[table][c] for c in row if c in found[table]}
        expected = {
            c: v for c, v in row.items() if c in found[table] and f"{table}.{c}" not in REPLACED
        }
        assert {c: kept[c] for c in expected} == expected, table
    if "recovery_codes" in written.get("user_account", {}):
        _recovery_codes_became_rows(empty_database, written["user_account"]["id"])
    _the_app_reads_it(empty_database, written)


def _recovery_codes_became_rows(url: str, user_id: int) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            codes = connection.execute(
                sa.text("SELECT code_hash FROM recovery_code WHERE user_id = :u"), {"u": user_id}
            ).scalars()
            assert sorted(codes) == VALUES["user_account"]["recovery_codes"]
    finally:
        engine.dispose()


def _the_app_reads_it(url: str, written: dict[str, dict]) -> None:
    """At head, the services read what was written long ago: the assessment's answers parse
    against its version and its standing is computed (none was stored before 0007)."""
    if "answer" not in written:
        return
    from assessment import create_app
    from assessment.db import get_session
    from assessment.models import Assessment
    from assessment.services import records

    from ..conftest import app_settings

    app = create_app(app_settings(url))
    try:
        with app.app_context():
            session = get_session()
            assessment = session.get(Assessment, written["assessment"]["id"])
            question_set = records.question_set_of(assessment.question_set_version)
            answers = records.answers_of(question_set, records.records_of(session, assessment))
            assert answers["a1"].value == "partly"
            assert answers["a1"].comment == "Two lanes still use PINs."
            standing = records.standing_of(session, assessment)
            assert standing.answered == 1
    finally:
        app.extensions["db_engine"].dispose()
