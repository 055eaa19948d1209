"""Backups of the embedded SQLite database, and what to run for PostgreSQL.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``): a consistent
snapshot page by page while app servers keep reading and writing, which copying the file (and
its write-ahead log) is not. A backup is written beside its destination and renamed into place,
so a half-written file never carries the backup's name, and it is a single file (journal mode
DELETE) that ``sqlite3`` or another port-assess opens as it is.

A restore checks first that the file is a port-assess database at a revision this version
knows (an intact SQLite file with the app's tables and an Alembic revision of ours), so a
wrong file cannot replace the data. PostgreSQL has its own tools (``pg_dump``/``pg_restore``);
``postgres_commands`` writes them out for the configured URL.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from assessment.migrate import revisions

# Tables whose rows a backup summary counts; their presence marks a port-assess database.
COUNTED = ("organisation", "user_account", "assessment", "answer", "report", "audit_event")


class BackupError(Exception):
    """Nothing was written; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    """What a database file holds: its migration revision and a few row counts."""

    revision: str
    counts: dict[str, int]
    size: int

    def describe(self) -> str:
        counts = " ".join(f"{table}={n}" for table, n in self.counts.items())
        return f"revision {self.revision}, {self.size / 1e6:.1f} MB: {counts}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def summarise(path: Path) -> Summary:
    """Check that ``path`` is an intact port-assess database and say what it holds."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path}: not a SQLite database")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = connection.execute("PRAGMA quick_check").fetchone()[0]
        if integrity != "ok":
            raise BackupError(f"{path}: the database is damaged ({integrity})")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables or not set(COUNTED) <= tables:
            raise BackupError(f"{path}: not a port-assess database (its tables are missing)")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        count = 'SELECT count(*) FROM "{}"'  # the names are ours (COUNTED), not input
        counts = {t: connection.execute(count.format(t)).fetchone()[0] for t in COUNTED}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: cannot be read as a database ({exc})") from None
    finally:
        connection.close()
    if revision is None or revision[0] not in revisions():
        found = revision[0] if revision else "none"
        raise BackupError(
            f"{path}: its schema revision ({found}) is not one this version of port-assess "
            f"knows ({revisions()[0]} to {revisions()[-1]}); was it made by a newer version?"
        )
    return Summary(revision[0], counts, path.stat().st_size)


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> Summary:
    """Copy the live database ``source`` to ``target`` (refused if it exists, unless forced)."""
    summarise(source)  # refuse to back up something that is not ours, or damaged
    if target.exists() and not force:
        raise BackupError(f"{target} exists; choose another name or use --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    _copy(source, partial, timeout=30)
    destination = sqlite3.connect(partial)
    try:
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        destination.close()
    copied = summarise(partial)
    os.replace(partial, target)
    return Summary(copied.revision, copied.counts, target.stat().st_size)


def restore_sqlite(
    backup: Path, target: Path, *, force: bool = False
) -> tuple[Summary, Summary | None]:
    """Replace the database ``target`` with the backup's content. Returns what was restored
    and what ``target`` held before (None if it was not a port-assess database); refuses to
    replace an existing database unless forced. Stop app servers and workers first: their
    open transactions would hold the database's lock, and their pages would show the data
    changing under them."""
    summarise(backup)
    replaced = None
    if target.exists() and target.stat().st_size > 0:
        try:
            replaced = summarise(target)
        except BackupError:
            replaced = None
        if not force:
            held = replaced.describe() if replaced else "a file that is not a port-assess database"
            raise BackupError(
                f"{target} exists ({held}); nothing was changed. Use --force to replace it "
                "with the backup."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup, target, timeout=60)
    return summarise(target), replaced


def _copy(source: Path, target: Path, *, timeout: float) -> None:
    """SQLite's online backup from one file to another, in one step (the source may be in use:
    the copy is of one consistent state)."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=timeout)
    writer = sqlite3.connect(target, timeout=timeout)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


@dataclass(frozen=True)
class PostgresCommands:
    backup: str
    restore: str
    notes: list[str]


def postgres_commands(url: str, path: str) -> PostgresCommands:
    """The ``pg_dump`` and ``pg_restore`` command lines for the database at ``url``. A password
    in the URL is left out (give it with PGPASSWORD or ~/.pgpass): a command line is seen by
    every user of the machine and kept in shell history."""
    parsed = make_url(url)
    options = [
        f"--{name}={shlex.quote(str(value))}"
        for name, value in (
            ("host", parsed.host),
            ("port", parsed.port),
            ("username", parsed.username),
        )
        if value
    ]
    connect = " ".join(options)
    database = shlex.quote(parsed.database or "postgres")
    file = shlex.quote(path)
    notes = []
    if parsed.password is not None:
        notes.append("The URL's password is not shown: give it with PGPASSWORD or ~/.pgpass.")
    if parsed.query:
        settings = ", ".join(f"{k}={v}" for k, v in parsed.query.items())
        notes.append(f"The URL also sets {settings}: give them as PG* environment variables.")
    return PostgresCommands(
        backup=f"pg_dump {connect} --format=custom --no-owner --no-privileges "
        f"--file={file} {database}",
        restore=f"pg_restore {connect} --clean --if-exists --no-owner --no-privileges "
        f"--single-transaction --exit-on-error --dbname={database} {file}",
        notes=notes,
    )
