"""One JSON line per request on the ``assessment.requests`` logger, for operators.

What a line holds is fixed (``FIELDS``): when, who (user and organisation ids), which route
(the endpoint and its URL rule, never the URL: a query string or a path an attacker typed may
carry anything), the method, the status and the time taken. Never a form field, an answer, a
comment, a name or an address: the data is a map of a port's weak points.

Where lines go: if nothing upstream handles INFO records of this logger (the default under
gunicorn or ``flask run``), a handler writing to stderr is added, so each app server's stderr
(journald, docker logs) has them. A logging configuration that gives this logger or the root
logger a handler decides instead. ``ASSESSMENT_REQUEST_LOG=false`` turns the lines off.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request

LOGGER_NAME = "assessment.requests"
FIELDS = (
    "time",
    "method",
    "endpoint",
    "route",
    "status",
    "duration_ms",
    "user_id",
    "organisation_id",
)
log = logging.getLogger(LOGGER_NAME)


def register(app: Flask) -> None:
    if not app.config.get("REQUEST_LOG", True):
        return
    _ensure_handler()
    # First among the before-request functions, so the time covers theirs too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def _ensure_handler() -> None:
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    if not _handled(log):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)


def _handled(logger: logging.Logger) -> bool:
    """Whether a handler on this logger or one it propagates to takes INFO records."""
    current: logging.Logger | None = logger
    while current is not None:
        if any(h.level <= logging.INFO for h in current.handlers):
            return True
        current = current.parent if current.propagate else None
    return False


def _start() -> None:
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    if request.endpoint == "home.healthz" and response.status_code == 200:
        return response  # a load balancer asks every few seconds: only failures are news
    started = g.get("request_started")
    user_id, organisation_id = _who()
    line = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": request.method,
        "endpoint": request.endpoint,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": user_id,
        "organisation_id": organisation_id,
    }
    log.info(json.dumps(line, separators=(",", ":")))
    return response


def _who() -> tuple[int | None, int | None]:
    """The logged-in user's ids, if this request loaded them: reading ``current_user`` here
    would load a user (a query) for requests that never needed one, such as static files."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None, None
    try:
        return user.id, user.organisation_id
    except Exception:  # the database went away after the view: the line still gets written
        return None, None
