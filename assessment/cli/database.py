"""``port-assess db ...`` and ``init-secret``: the database schema and the secret key file."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from assessment.config import write_secret_file
from assessment.migrate import upgrade


@click.group(help="The database schema.")
def db() -> None:
    pass


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or upgrade the database schema to the latest version."""
    upgrade(current_app.extensions["db_engine"])
    click.echo("Database is up to date.")


@click.command("init-secret")
@click.argument("path", type=click.Path(path_type=Path))
def init_secret(path: Path) -> None:
    """Create a random secret key file (mode 0600) unless one exists."""
    created = write_secret_file(path)
    click.echo(f"{'Created' if created else 'Kept'} secret key file {path}.", err=True)
