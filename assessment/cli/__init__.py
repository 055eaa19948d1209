"""The ``port-assess`` command: a Flask CLI group.

Commands that need no database (validating files, rendering a report from files) run without a
configured app; the others ask for an application context themselves (``with_appcontext``).
The same commands are offered through ``flask --app assessment``.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def commands() -> list[click.Command]:
    from .app_commands import db, export_command, import_command, init_secret, user
    from .questionnaire import questionnaire
    from .report import report_command

    if "import" not in questionnaire.commands:
        questionnaire.add_command(import_command())
        questionnaire.add_command(export_command())
    return [questionnaire, report_command, db, user, init_secret]


def _create_app():
    from assessment import create_app

    return create_app()


cli = FlaskGroup(
    create_app=_create_app,
    add_version_option=False,
    add_default_commands=True,
    help="port-assess: cybersecurity self-assessment for ports.",
)
for _command in commands():
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="port-assess")
