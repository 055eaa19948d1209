"""``port-assess backup PATH`` and ``port-assess restore PATH``: the embedded SQLite database
through SQLite's online backup API (``services/backup.py``); for PostgreSQL, the ``pg_dump`` and
``pg_restore`` commands to run, written out for the configured database."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from assessment.migrate import revisions
from assessment.services import backup as service


def _database() -> tuple[str, Path | None]:
    url = current_app.config["DATABASE_URL"]
    return url, service.sqlite_path(url)


def _postgres(url: str, path: Path, *, restore: bool) -> None:
    """Print the command for PostgreSQL and exit 1: port-assess wrote nothing."""
    commands = service.postgres_commands(url, str(path))
    tool = "pg_restore" if restore else "pg_dump"
    click.echo(f"The database is PostgreSQL: {tool} does this, not port-assess.")
    if restore:
        click.echo("Stop the app servers and report workers first, then run:")
    click.echo(f"\n  {commands.restore if restore else commands.backup}\n")
    if restore:
        click.echo("then `port-assess db upgrade`, and start them again.")
    for note in commands.notes:
        click.echo(note)
    raise click.exceptions.Exit(1)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Copy the database to PATH while the app keeps running (SQLite); for PostgreSQL, print
    the pg_dump command to run."""
    url, database = _database()
    if database is None:
        _postgres(url, path, restore=False)
    try:
        copied = service.backup_sqlite(database, path, force=force)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {database} to {path} ({copied.describe()}).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the existing database.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Replace the database with the backup at PATH (SQLite; stop the app servers and workers
    first); for PostgreSQL, print the pg_restore command to run."""
    url, database = _database()
    if database is None:
        _postgres(url, path, restore=True)
    try:
        restored, replaced = service.restore_sqlite(path, database, force=force)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    current_app.extensions["db_engine"].dispose()
    before = f"; it replaced {replaced.describe()}" if replaced else ""
    click.echo(f"Restored {path} into {database} ({restored.describe()}){before}.")
    if restored.revision != revisions()[-1]:
        click.echo(
            f"The backup's schema is at revision {restored.revision}, this version's at "
            f"{revisions()[-1]}: run `port-assess db upgrade` before starting the app."
        )
