"""``port-assess backup`` and ``restore``: a round trip gives back every row (answers, reports,
everything); a restore never replaces a database by accident or with a file that is not ours.
PostgreSQL: the commands printed for the configured database are run as printed."""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from assessment import create_app, paths
from assessment.cli import cli
from assessment.db import Base, get_session, make_engine
from assessment.migrate import revisions, upgrade
from assessment.models import Assessment
from assessment.passwords import hash_password
from assessment.services import reports, seeding
from assessment.services.question_sets import import_question_set

from ..conftest import PASSWORD, Client, app_settings, empty_tables


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(cli, list(args))


def make_app(url: str) -> Flask:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app(app_settings(url))
    app.test_client_class = Client
    return app


def fill(app: Flask) -> None:
    """Two organisations with answered assessments, and a report asked for."""
    baseline = paths.shipped_question_sets()[0]
    with app.app_context():
        session = get_session()
        import_question_set(session, baseline.read_bytes(), baseline.name)
        seeding.seed(session, 2, 2, hash_password(PASSWORD, fast=True))
        assessment = session.scalars(sa.select(Assessment).order_by(Assessment.id)).first()
        reports.request_report(
            session, None, assessment, "TLP:AMBER", "report.pdf", enqueue=lambda _id: None
        )


def every_row(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(tuple(row) for row in connection.execute(sa.select(table)).all())
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_app(tmp_path) -> Iterator[Flask]:
    """An app on a SQLite database of its own (a restore replaces the whole database)."""
    app = make_app(f"sqlite:///{tmp_path / 'live.db'}")
    yield app
    app.extensions["db_engine"].dispose()


def test_backup_wipe_restore_gives_back_every_answer_and_report(sqlite_app, tmp_path):
    fill(sqlite_app)
    url = sqlite_app.config["DATABASE_URL"]
    before = every_row(url)
    assert len(before["answer"]) > 200
    assert len(before["report"]) == 1
    backup = tmp_path / "backups" / "port-assess.db"
    made = run(sqlite_app, "backup", str(backup))
    assert made.exit_code == 0, made.output
    assert f"to {backup} (revision {revisions()[-1]}" in made.output
    assert "assessment=4" in made.output

    empty_tables(url)
    assert every_row(url)["answer"] == []
    refused = run(sqlite_app, "restore", str(backup))
    assert refused.exit_code == 1
    assert "nothing was changed. Use --force" in refused.output
    assert every_row(url)["assessment"] == []

    restored = run(sqlite_app, "restore", str(backup), "--force")
    assert restored.exit_code == 0, restored.output
    assert "it replaced revision" in restored.output
    assert "assessment=0" in restored.output  # what the wiped database held
    assert every_row(url) == before

    client = sqlite_app.test_client()
    assert client.login("officer00001@seeded-port.example").status_code == 302
    listing = client.get("/assessments/").get_data(as_text=True)
    assert listing.count("Annual assessment") == 2


def test_restore_into_a_missing_database_needs_no_force(sqlite_app, tmp_path):
    fill(sqlite_app)
    url = sqlite_app.config["DATABASE_URL"]
    before = every_row(url)
    backup = tmp_path / "copy.db"
    assert run(sqlite_app, "backup", str(backup)).exit_code == 0
    sqlite_app.extensions["db_engine"].dispose()
    live = Path(make_url(url).database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    result = run(sqlite_app, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "replaced" not in result.output
    assert every_row(url) == before


def test_a_backup_is_one_consistent_state_while_a_writer_is_busy(sqlite_app, tmp_path):
    fill(sqlite_app)
    live = make_url(sqlite_app.config["DATABASE_URL"]).database
    writer = sqlite3.connect(live, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM answer")  # not committed while the backup runs
        result = run(sqlite_app, "backup", str(tmp_path / "busy.db"))
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "busy.db")
    try:
        assert copy.execute("SELECT count(*) FROM answer").fetchone()[0] > 200
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    finally:
        copy.close()


def test_backup_does_not_overwrite_without_force(sqlite_app, tmp_path):
    target = tmp_path / "existing.db"
    target.write_bytes(b"keep me")
    refused = run(sqlite_app, "backup", str(target))
    assert refused.exit_code == 1
    assert "exists; choose another name or use --force" in refused.output
    assert target.read_bytes() == b"keep me"
    assert run(sqlite_app, "backup", str(target), "--force").exit_code == 0
    assert target.read_bytes().startswith(b"SQLite format 3\x00")


def _foreign_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()


def _unknown_revision(path: Path, source: Path) -> None:
    shutil.copy(source, path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()


def test_restore_refuses_what_is_not_a_port_assess_database(sqlite_app, tmp_path):
    fill(sqlite_app)
    good = tmp_path / "good.db"
    assert run(sqlite_app, "backup", str(good)).exit_code == 0
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database")
    _foreign_database(tmp_path / "other.db")
    _unknown_revision(tmp_path / "newer.db", good)
    for path, message in (
        (tmp_path / "absent.db", "no such file"),
        (text_file, "not a SQLite database"),
        (tmp_path / "other.db", "not a port-assess database"),
        (tmp_path / "newer.db", "its schema revision (9999) is not one this version"),
    ):
        result = run(sqlite_app, "restore", str(path), "--force")
        assert result.exit_code == 1, path
        assert message in result.output
    assert len(every_row(sqlite_app.config["DATABASE_URL"])["answer"]) > 200


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL database of its own (a restore replaces every table)."""
    name = f"{make_url(postgres_url).database}_backup"
    admin = make_engine(postgres_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def printed_command(output: str, program: str) -> list[str]:
    (line,) = [line for line in output.splitlines() if line.strip().startswith(program)]
    return shlex.split(line)


def test_postgresql_gets_the_pg_dump_and_pg_restore_commands_that_work(postgres_database, tmp_path):
    app = make_app(postgres_database)
    try:
        fill(app)
        before = every_row(postgres_database)
        dump = tmp_path / "port-assess.dump"
        backup = run(app, "backup", str(dump))
        restore = run(app, "restore", str(dump))
    finally:
        app.extensions["db_engine"].dispose()
    assert backup.exit_code == restore.exit_code == 1  # nothing was written by port-assess
    assert "The database is PostgreSQL: pg_dump does this" in backup.output
    assert not dump.exists()
    assert "Stop the app servers and report workers first" in restore.output
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed (Debian: postgresql-client)")
    subprocess.run(printed_command(backup.output, "pg_dump"), check=True)
    empty_tables(postgres_database)
    assert every_row(postgres_database)["answer"] == []
    subprocess.run(printed_command(restore.output, "pg_restore"), check=True)
    assert every_row(postgres_database) == before
