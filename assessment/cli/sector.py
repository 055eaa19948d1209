"""``port-assess sector seed``: a sector of seeded organisations to try the sector view on."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from assessment.db import get_session
from assessment.services.question_sets import find_version
from assessment.services.sector_seed import seed_sector


@click.group(help="The sector view.")
def sector() -> None:
    pass


@sector.command("seed")
@click.option("--organisations", "count", type=click.IntRange(1, 500), default=30)
@click.option("--question-set", "set_id", default="port-cyber-baseline", show_default=True)
@click.option("--version", type=int, help="Default: the latest published version.")
@click.option("--years", type=click.IntRange(1, 5), default=2, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Repeatable answers.")
@click.option("--first", type=click.IntRange(1, 100_000), default=1, help="First port number.")
@with_appcontext
def seed_command(
    count: int, set_id: str, version: int | None, years: int, seed: int, first: int
) -> None:
    """Create COUNT sharing organisations ("Seeded port NNN"), each with a completed
    assessment per year for YEARS years. For demonstrations and tests, never production."""
    session = get_session()
    stored = find_version(session, set_id, version)
    if stored is None:
        raise click.ClickException(
            f"no question set '{set_id}'"
            + (f" version {version}" if version else "")
            + " (port-assess questionnaire import --shipped)"
        )
    seeded = seed_sector(
        session,
        stored,
        count,
        years=years,
        seed=seed,
        first=first,
        fast_hash=current_app.config.get("FAST_PASSWORD_HASH", False),
    )
    click.echo(
        f"Seeded {len(seeded.organisations)} sharing organisations with {seeded.assessments} "
        f"completed assessments of {stored.set_id} version {stored.version}."
    )
