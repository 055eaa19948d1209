"""The ``port-assess`` command: a Flask CLI group.

Commands that need no database (validating files, rendering a report from files) are attached
to the group itself, so they run without a configured app; the rest are app commands and get an
application context.
"""

from __future__ import annotations

from flask.cli import FlaskGroup

from .questionnaire import questionnaire


def _create_app():
    from assessment import create_app

    return create_app()


cli = FlaskGroup(
    create_app=_create_app,
    add_version_option=False,
    help="port-assess: cybersecurity self-assessment for ports.",
)
cli.add_command(questionnaire)


def main() -> None:
    cli(prog_name="port-assess")
