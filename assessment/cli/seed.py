"""``port-assess seed``: organisations with fully answered assessments, for scale tests and
demonstrations (``services/seeding.py``). Never run it on an installation in use: the seeded
organisations look like real ones in every list."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from assessment import passwords
from assessment.db import get_session
from assessment.services import seeding
from assessment.services.users import generate_password


@click.command("seed")
@click.option("--organisations", type=click.IntRange(0, 100_000), required=True)
@click.option("--assessments", type=click.IntRange(0, 100), default=5, show_default=True)
@click.option(
    "--password",
    envvar="PORT_ASSESS_PASSWORD",
    help="The seeded officers' password (all share it); omit to have one generated and shown.",
)
@with_appcontext
def seed_command(organisations: int, assessments: int, password: str | None) -> None:
    """Add N organisations ("Seeded port 00001", ...), each with an officer and M assessments
    of the shipped baseline answered with its sample answers (all completed but the newest)."""
    problem = password and passwords.password_problem(
        password, current_app.config["PASSWORD_MIN_LENGTH"]
    )
    if problem:
        raise click.ClickException(f"--password: {problem}")
    shown = password or generate_password()
    digest = passwords.hash_password(shown, current_app.config.get("FAST_PASSWORD_HASH", False))
    step = max(1, organisations // 10)

    def progress(done: int) -> None:
        if done % step == 0 or done == organisations:
            click.echo(f"  {done} of {organisations} organisations", err=True)

    try:
        seeded = seeding.seed(get_session(), organisations, assessments, digest, progress=progress)
    except seeding.SeedError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Seeded {seeded.organisations} organisations with {seeded.assessments} assessments "
        f"({seeded.answers} answers)."
    )
    if seeded.first_email:
        click.echo(f"Officers log in as {seeded.first_email} (and so on), password: ", nl=False)
        click.echo(shown if not password else "as given")
