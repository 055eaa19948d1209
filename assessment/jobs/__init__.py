"""Background work: PDF reports are made by report workers through Huey, a small job-queue
library chosen because it runs with no extra service in the embedded default (its queue is a
SQLite file beside the database) and on Redis at scale, with the same code, and because its
consumer runs tasks in worker processes (renders are CPU-bound) and has a scheduler for the
periodic sweep that puts back reports a killed worker left behind. The consumer's tasks run in
threads: each render runs in a child process of its own (``render_pdf_bounded``), which is what
uses a core, bounds memory and time, and keeps a crash from taking the worker down.

``ASSESSMENT_QUEUE_URL``: ``sqlite:///path`` (default: ``queue.db`` in the instance folder) or
``redis://host:port/db``. Web servers only enqueue; ``port-assess worker`` consumes.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey, crontab

from assessment.services import reports

log = logging.getLogger(__name__)
BUSY_RETRY_SECONDS = 2
# A render that fails on the database (restarting, a dropped connection) is tried again rather
# than left for the sweep: the report is still queued, so the retry simply claims it.
DATABASE_RETRIES, DATABASE_RETRY_SECONDS = 5, 10


def make_queue(url: str, name: str = "port-assess") -> Huey:
    parts = urlsplit(url)
    if parts.scheme == "redis":
        return RedisHuey(name, url=url, results=False)
    if parts.scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False, timeout=15)
    raise ValueError(f"ASSESSMENT_QUEUE_URL: unknown queue {url!r} (sqlite:///... or redis://...)")


class Jobs:
    """The app's queue and its tasks. The queue is opened on first use (a SQLite queue is a
    file), so that building the app has no side effect."""

    def __init__(self, app: Flask):
        self.app = app
        self.limits = reports.RenderLimits(
            timeout=float(app.config["REPORT_TIMEOUT_SECONDS"]),
            memory=int(app.config["REPORT_MEMORY_MB"]) * 1024 * 1024,
            per_organisation=int(app.config["REPORT_RENDERS_PER_ORGANISATION"]),
        )

    @cached_property
    def huey(self) -> Huey:
        huey = make_queue(self.app.config["QUEUE_URL"])
        self.render_report = huey.task(
            name="render_report", retries=DATABASE_RETRIES, retry_delay=DATABASE_RETRY_SECONDS
        )(self._render_report)
        huey.periodic_task(crontab(minute="*"), name="requeue_stuck_reports")(self._requeue)
        return huey

    def enqueue_report(self, report_id: int) -> None:
        self.huey  # noqa: B018 - opens the queue and registers the tasks
        self.render_report(report_id)

    def consumer(self, workers: int):
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)

    # The tasks, run by report workers

    def _render_report(self, report_id: int) -> None:
        session = self.app.extensions["db_sessionmaker"]()
        try:
            outcome = reports.render(session, report_id, self.limits)
        except reports.OrganisationBusy:
            # Its organisation has renders running: other organisations' reports go first.
            self.render_report.schedule((report_id,), delay=BUSY_RETRY_SECONDS)
            return
        finally:
            session.close()
        log.info("report %s: %s", report_id, outcome)

    def _requeue(self) -> None:
        """Reports left half-made by a killed worker go back in the queue. Reports that are
        only waiting are put back only when the queue is empty (then their messages were lost):
        during a backlog they are in the queue already, and a copy would be rendered twice."""
        lost_messages_possible = self.huey.pending_count() == 0
        session = self.app.extensions["db_sessionmaker"]()
        try:
            stuck = reports.stuck_reports(
                session,
                timedelta(seconds=self.limits.timeout * 2 + 60),
                include_waiting=lost_messages_possible,
            )
        finally:
            session.close()
        for report_id in stuck:
            log.warning("report %s was left unfinished: queued again", report_id)
            self.render_report(report_id)


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = Jobs(app)
