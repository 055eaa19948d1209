"""What a load balancer asks: can this app server work right now?

Two things must answer: the database (every page reads it) and the report queue (asking for a
report writes to it). Each check is one trivial call; a failure is logged here with its cause
and reported to the caller only as "unreachable", so the health page gives nothing away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from huey import Huey
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def database_answers(session: Session) -> bool:
    """One trivial query; an unreachable database raises (the caller answers 503)."""
    return session.execute(text("SELECT 1")).scalar() == 1


def check(session: Session, queue: Callable[[], Huey]) -> dict[str, bool]:
    """``{"database": ok, "queue": ok}``; never raises. ``queue`` opens the app's queue (the
    first use of a SQLite queue creates its file, which can fail too)."""
    return {"database": _database_ok(session), "queue": _queue_ok(queue)}


def _database_ok(session: Session) -> bool:
    try:
        return database_answers(session)
    except SQLAlchemyError as exc:
        session.rollback()
        log.warning("health: the database does not answer: %s", _cause(exc))
        return False


def _queue_ok(queue: Callable[[], Huey]) -> bool:
    """The queue's length: a SQLite query, or LLEN on Redis (a round trip to the server)."""
    try:
        queue().pending_count()
    except Exception as exc:  # any failure means "cannot enqueue"; logged with its cause
        log.warning("health: the report queue does not answer: %s", _cause(exc))
        return False
    return True


def _cause(exc: BaseException) -> str:
    first_line = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {first_line[0] if first_line else ''}"
