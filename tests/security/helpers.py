"""Helpers of the adversarial suite: forms as a browser sends them, database snapshots, checks.

Attack case numbers (``case N``) refer to section 2 of shared/security.md.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from assessment.db import Base, get_session

from ..forms import Form

# What a database error or a stack trace looks like when it leaks into a response.
LEAK_MARKERS = (
    "Traceback",
    "sqlite3",
    "psycopg",
    "sqlalchemy",
    "syntax error",
    "OperationalError",
    "ProgrammingError",
    "DataError",
    "IntegrityError",
    "OverflowError",
    'File "',
)

# Generic words every error page shows (templates/errors/error.html).
ERROR_TITLES = {
    400: "The request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "Not allowed",
    413: "Too large",
    429: "Too many attempts",
    500: "Something went wrong",
}


# Forms


def section_url(assessment_id: int, section_id: str) -> str:
    return f"/assessments/{assessment_id}/sections/{section_id}"


def start(client, title: str = "Annual check", scope: str = "The whole port", **extra) -> int:
    """Start an assessment through the form, as an officer would; returns its id."""
    form = Form(client.get("/assessments/new").get_data(as_text=True), "start-form")
    form.set("title", title).set("scope", scope)
    for key, value in extra.items():
        form.set(key, value)
    response = client.post("/assessments/new", data=form.data())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].split("/")[2])


def open_section(client, assessment_id: int, section_id: str) -> Form:
    page = client.get(section_url(assessment_id, section_id))
    assert page.status_code == 200, page.status_code
    return Form(page.get_data(as_text=True), "section-form")


def save(client, assessment_id: int, section_id: str, form: Form, **extra):
    return client.post(section_url(assessment_id, section_id), data=form.data(**extra))


def save_ok(client, assessment_id: int, section_id: str, form: Form) -> None:
    response = save(client, assessment_id, section_id, form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def token_of(client, page: str = "/account/password") -> str:
    """A valid CSRF token of this client's own session (read from a page with a form)."""
    return client.csrf_token(page)


def with_token(data: MultiDict | dict, token: str | None, **extra: str) -> MultiDict:
    """The same fields with ``csrf_token`` replaced (or removed when token is None)."""
    items = data.items(multi=True) if isinstance(data, MultiDict) else data.items()
    fields = [(k, v) for k, v in items if k != "csrf_token"]
    if token is not None:
        fields.append(("csrf_token", token))
    return MultiDict(fields + list(extra.items()))


def expired_token(app: Flask, client, age_seconds: int = 2 * 3600) -> str:
    """A token for this client's session, signed as if issued ``age_seconds`` ago."""
    with client.session_transaction() as session:
        raw = session["csrf_token"]

    class _Past(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], "wtf-csrf-token", signer=_Past)
    return serializer.dumps(raw)


# The database


# Bookkeeping, not data: a request that changes nothing may still count towards a limit.
NOT_DATA = {"rate_limit_counter"}
# A report worker may be rendering, in the background, a report asked for before the test:
# its progress on that row is not the request's doing (a new or deleted row still counts).
WORKER_COLUMNS = {
    "status",
    "html",
    "attachment",
    "pdf",
    "pages",
    "error",
    "attempts",
    "started_at",
    "finished_at",
}


def snapshot(
    app: Flask, exclude: Iterable[str] = (), ignore_columns: dict[str, set[str]] | None = None
) -> dict[str, list[tuple]]:
    """Every row of every table (but ``exclude`` and the rate-limit counters), ordered by
    primary key; without the ``ignore_columns`` of a table."""
    skip = set(exclude) | NOT_DATA
    ignored = {"report": WORKER_COLUMNS} | (ignore_columns or {})
    with app.app_context():
        session = get_session()
        return {
            table.name: [
                tuple(row)
                for row in session.execute(
                    select(*[c for c in table.columns if c.name not in ignored.get(table.name, ())])
                    .select_from(table)
                    .order_by(*table.primary_key.columns)
                ).all()
            ]
            for table in Base.metadata.sorted_tables
            if table.name not in skip
        }


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def row(app: Flask, model, object_id: int):
    """One row, detached and fully loaded, for assertions."""
    with app.app_context():
        obj = get_session().get(model, object_id)
        assert obj is not None
        get_session().expunge(obj)
        return obj


def is_postgresql(request) -> bool:
    return request.getfixturevalue("database_url").startswith("postgresql")


# Responses


def assert_no_leak(response, where: str = "") -> None:
    """No server error and no database or Python internals in the body."""
    body = response.get_data().decode("utf-8", "replace")
    assert response.status_code != 500, f"500 on {where}"
    for marker in LEAK_MARKERS:
        assert marker not in body, f"{marker!r} leaked on {where}"


def assert_generic_error(response, code: int) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == code, (response.status_code, body[:500])
    assert ERROR_TITLES[code] in body
    for marker in LEAK_MARKERS:
        assert marker not in body, marker


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response, *, cacheable: bool = False) -> None:
    """Case 30: CSP (default-src self or none, no plugins, no framing, no inline script),
    nosniff, a referrer policy, no framing, no caching of anything but static files."""
    headers = response.headers
    csp = csp_directives(headers.get("Content-Security-Policy", ""))
    default = csp.get("default-src")
    assert default in (["'self'"], ["'none'"]), csp
    assert csp.get("object-src", default) == ["'none'"], csp
    assert csp.get("frame-ancestors") == ["'none'"], csp
    script = csp.get("script-src", default)
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(script), csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert headers.get("X-Frame-Options") == "DENY"
    if not cacheable:
        assert headers.get("Cache-Control") == "no-store"


def assert_literal_in_html(html: str, value: str, where: str) -> None:
    """``value`` is shown as text: its escaped form is there, its raw markup is not."""
    assert str(escape(value)) in html, f"{value!r} not shown (escaped) on {where}"
    if str(escape(value)) != value:
        assert value not in html, f"{value!r} appears unescaped on {where}"


def squeeze(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines where layout wrapped them."""
    return re.sub(r"\s+", "", text)


@contextmanager
def https_app(database_url: str) -> Iterator[Flask]:
    """The app as deployed behind TLS (ASSESSMENT_HTTPS=true), on the test's database."""
    from assessment import create_app

    from ..conftest import Client

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "FAST_PASSWORD_HASH": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "HTTPS": True,
        }
    )
    app.test_client_class = Client
    try:
        yield app
    finally:
        app.extensions["db_engine"].dispose()


def token_in(html: str) -> str:
    from ..conftest import CSRF_INPUT

    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def changed_rows(before: dict, after: dict, table: str) -> set:
    """Primary keys (first column) of the rows of ``table`` added, removed or changed."""
    old = {r[0]: r for r in before[table]}
    new = {r[0]: r for r in after[table]}
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body built in memory (the test client would spool a large one to
    a temporary file that a refused request leaves open)."""
    boundary = "----security-suite-" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
