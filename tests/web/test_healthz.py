"""``/healthz``: 200 while the database and the report queue answer; 503 with the app's own
headers, and nothing but which part is down, when either does not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from assessment import create_app

from ..conftest import app_settings

# Nothing listens on port 1: a connection there is refused at once.
CLOSED_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/port_assess"
CLOSED_REDIS = "redis://127.0.0.1:1/0"
OWN_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")


@pytest.fixture
def make_app() -> Iterator:
    made: list[Flask] = []

    def make(database_url: str, **overrides) -> Flask:
        app = create_app(app_settings(database_url, **overrides))
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["db_engine"].dispose()


def healthz(app: Flask):
    response = app.test_client().get("/healthz")
    for header in OWN_HEADERS:
        assert header in response.headers, header
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"
    return response.status_code, response.get_json()


def test_both_reachable_is_200(app):
    assert healthz(app) == (200, {"status": "ok", "database": "ok", "queue": "ok"})


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_reachable_queue_of_either_kind_is_200(make_app, database_url, queue, tmp_path):
    url = "redis://127.0.0.1:6379/15" if queue == "redis" else f"sqlite:///{tmp_path}/q.db"
    app = make_app(database_url, QUEUE_URL=url)
    status, body = healthz(app)
    if queue == "redis" and body["queue"] != "ok":
        pytest.skip("no Redis at 127.0.0.1:6379")
    assert (status, body["queue"]) == (200, "ok")


def test_queue_down_is_503(make_app, database_url):
    app = make_app(database_url, QUEUE_URL=CLOSED_REDIS)
    assert healthz(app) == (
        503,
        {"status": "unavailable", "database": "ok", "queue": "unreachable"},
    )


def test_postgresql_down_is_503_and_names_no_host(make_app):
    app = make_app(CLOSED_POSTGRES)
    status, body = healthz(app)
    assert (status, body) == (
        503,
        {"status": "unavailable", "database": "unreachable", "queue": "ok"},
    )


def test_sqlite_unopenable_is_503(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/no/such/folder/port-assess.db")
    assert healthz(app)[0] == 503


def test_both_down_is_503(make_app):
    app = make_app(CLOSED_POSTGRES, QUEUE_URL=CLOSED_REDIS)
    assert healthz(app) == (
        503,
        {"status": "unavailable", "database": "unreachable", "queue": "unreachable"},
    )


def test_the_cause_is_logged_not_shown(make_app, caplog):
    app = make_app(CLOSED_POSTGRES)
    with caplog.at_level("WARNING", logger="assessment.services.health"):
        response = app.test_client().get("/healthz")
    assert "127.0.0.1" not in response.get_data(as_text=True)
    assert any("database does not answer" in r.getMessage() for r in caplog.records)
