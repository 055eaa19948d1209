"""The ``port-assess`` command: a Flask CLI group.

Commands that need no database (validating files, rendering a report from files) run without a
configured app; the others ask for an application context themselves (``with_appcontext``).
The same commands are offered through ``flask --app assessment``.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from .accounts import user
from .backup import backup_command, restore_command
from .database import db, init_secret
from .organisations import organisation
from .questionnaire import questionnaire
from .report import report_command
from .sector import sector
from .seed import seed_command
from .stored_sets import export_command, import_command
from .worker import worker_command

questionnaire.add_command(import_command)
questionnaire.add_command(export_command)
COMMANDS: list[click.Command] = [
    questionnaire,
    report_command,
    db,
    user,
    organisation,
    backup_command,
    restore_command,
    seed_command,
    init_secret,
    worker_command,
    sector,
]


def _create_app():
    # Imported here: the app factory registers these commands, so a top-level import would
    # be circular.
    from assessment import create_app

    return create_app()


def register(app: Flask) -> None:
    """Offer the same commands through ``flask --app assessment ...``."""
    for command in COMMANDS:
        app.cli.add_command(command)


cli = FlaskGroup(
    create_app=_create_app,
    add_version_option=False,
    add_default_commands=True,
    help="port-assess: cybersecurity self-assessment for ports.",
)
for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="port-assess")
