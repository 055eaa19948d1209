"""CLI commands that work on the database: schema, accounts, stored question sets."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from assessment.config import write_secret_file


@click.group(help="The database schema.")
def db() -> None:
    pass


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or upgrade the database schema to the latest version."""
    from assessment.migrate import upgrade

    upgrade(current_app.extensions["db_engine"])
    click.echo("Database is up to date.")


@click.group(help="User accounts.")
def user() -> None:
    pass


def _session():
    from assessment.db import get_session

    return get_session()


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--role", type=click.Choice(["officer", "admin"]), default="officer")
@click.option("--organisation", help="Organisation name (required for officers).")
@click.option(
    "--password",
    help="Omit to be asked; or set PORT_ASSESS_PASSWORD.",
    envvar="PORT_ASSESS_PASSWORD",
)
@with_appcontext
def user_create(
    email: str, display_name: str, role: str, organisation: str | None, password: str | None
) -> None:
    """Create a user account."""
    from sqlalchemy import select

    from assessment.models import Organisation
    from assessment.services import users

    session = _session()
    org_id = None
    if organisation:
        org = session.scalar(select(Organisation).where(Organisation.name == organisation))
        if org is None:
            raise click.ClickException(f"no organisation called '{organisation}'")
        org_id = org.id
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        created = users.create_user(
            session,
            None,
            users.UserData(email, display_name, role, org_id),
            password,
            fast_hash=current_app.config.get("FAST_PASSWORD_HASH", False),
        )
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {created.role} {created.email}.")


@user.command("ensure-admin")
@with_appcontext
def user_ensure_admin() -> None:
    """Make sure the admin account from ASSESSMENT_ADMIN_EMAIL exists (used by make run)."""
    import os

    from assessment.services import users

    email = os.environ.get("ASSESSMENT_ADMIN_EMAIL", "admin@example.org")
    password = os.environ.get("ASSESSMENT_ADMIN_PASSWORD")
    try:
        admin, generated = users.ensure_admin(_session(), email, password)
    except users.UserError as exc:
        raise click.ClickException(f"ASSESSMENT_ADMIN_PASSWORD: {exc}") from None
    if generated:
        click.echo("=" * 64)
        click.echo(f"Administrator account created: {admin.email}")
        click.echo(f"Password (shown only this once): {generated}")
        click.echo("=" * 64)
    else:
        click.echo(f"Administrator account {admin.email} exists.")


@click.command("init-secret")
@click.argument("path", type=click.Path(path_type=Path))
def init_secret(path: Path) -> None:
    """Create a random secret key file (mode 0600) unless one exists."""
    created = write_secret_file(path)
    click.echo(f"{'Created' if created else 'Kept'} secret key file {path}.", err=True)


def import_command() -> click.Command:
    @click.command("import")
    @click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
    @click.option("--shipped", is_flag=True, help="Import the question sets shipped with the app.")
    @with_appcontext
    def import_(paths: tuple[Path, ...], shipped: bool) -> None:
        """Store question-set files as published versions (idempotent)."""
        from assessment import paths as app_paths
        from assessment.questionset import QuestionSetInvalid
        from assessment.services.question_sets import QuestionSetConflict, import_question_set

        files = list(paths) + (app_paths.shipped_question_sets() if shipped else [])
        if not files:
            raise click.UsageError("give one or more files, or --shipped")
        failed = False
        for path in files:
            try:
                result = import_question_set(_session(), path.read_bytes(), str(path))
            except QuestionSetInvalid as exc:
                failed = True
                for problem in exc.problems:
                    click.echo(str(problem), err=True)
            except (QuestionSetConflict, OSError) as exc:
                failed = True
                click.echo(str(exc), err=True)
            else:
                version = result.version
                state = "imported" if result.created else "already loaded, unchanged"
                click.echo(f"{path}: {version.set_id} version {version.version} {state}.")
        if failed:
            sys.exit(1)

    return import_


def export_command() -> click.Command:
    @click.command("export")
    @click.argument("set_id")
    @click.option("--version", type=int, help="Default: the latest published version.")
    @click.option("--out", type=click.Path(path_type=Path), required=True)
    @with_appcontext
    def export(set_id: str, version: int | None, out: Path) -> None:
        """Write a stored question-set version to a YAML file."""
        from assessment.services.question_sets import find_version

        stored = find_version(_session(), set_id, version)
        if stored is None:
            raise click.ClickException(
                f"no question set '{set_id}'" + (f" version {version}" if version else "")
            )
        out.write_text(stored.source_yaml, encoding="utf-8")
        click.echo(f"Wrote {set_id} version {stored.version} to {out}.")

    return export


def register(app: Flask) -> None:
    """Offer the same commands through ``flask --app assessment ...``."""
    from . import commands

    for command in commands():
        app.cli.add_command(command)
