"""``port-assess worker``: a report worker, consuming the app's job queue."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Renders at once in this worker; default ASSESSMENT_REPORT_WORKERS.",
)
@with_appcontext
def worker_command(workers: int | None) -> None:
    """Make the PDF reports people ask for, until stopped (Ctrl-C or SIGTERM).

    Each render runs in a child process of its own (with its memory and time limits), so the
    worker's tasks are threads that wait for their child: as many renders run at once as there
    are threads, each on a core of its own."""
    # The worker says what it does ("report 12: ready") on standard error, as a service log.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    jobs = current_app.extensions["jobs"]
    count = workers or int(current_app.config["REPORT_WORKERS"])
    click.echo(f"Report worker: {count} at once, queue {current_app.config['QUEUE_URL']}")
    jobs.consumer(count).run()
