"""``port-assess user ...``: accounts from the command line (for scripts and ``make run``)."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from assessment.db import get_session
from assessment.services import organisations, users


@click.group(help="User accounts.")
def user() -> None:
    pass


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--role", type=click.Choice(["officer", "admin", "analyst"]), default="officer")
@click.option("--organisation", help="Organisation name (officers only; required for them).")
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
    session = get_session()
    org_id = None
    if organisation:
        org = organisations.find_by_name(session, organisation)
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
    email = os.environ.get("ASSESSMENT_ADMIN_EMAIL", "admin@example.org")
    password = os.environ.get("ASSESSMENT_ADMIN_PASSWORD")
    try:
        admin, generated = users.ensure_admin(get_session(), email, password)
    except users.UserError as exc:
        raise click.ClickException(f"ASSESSMENT_ADMIN_PASSWORD: {exc}") from None
    if generated:
        click.echo("=" * 64)
        click.echo(f"Administrator account created: {admin.email}")
        click.echo(f"Password (shown only this once): {generated}")
        click.echo("=" * 64)
    else:
        click.echo(f"Administrator account {admin.email} exists.")
