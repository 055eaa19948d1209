"""Security headers on every response, and error pages that reveal nothing."""

from __future__ import annotations

import pytest
from flask import abort


@pytest.fixture
def erroring_app(app):
    @app.get("/_boom/<int:code>")
    def boom(code):
        if code == 500:
            raise RuntimeError("secret internal detail")
        abort(code)

    return app


PAGES = ["/login", "/home", "/admin/users", "/does-not-exist", "/static/app.css"]


@pytest.mark.parametrize("page", PAGES)
def test_security_headers_on_every_response(client, people, page):
    client.login(people.officer_a)
    with client.get(page) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_authenticated_pages_are_not_cached(client, people):
    client.login(people.officer_a)
    assert client.get("/home").headers["Cache-Control"] == "no-store"


def test_no_inline_script_in_pages(client, people):
    client.login(people.admin)
    for page in ["/login", "/home", "/admin/organisations", "/admin/users"]:
        html = client.get(page).get_data(as_text=True)
        assert "<script>" not in html
        assert " on" + "click=" not in html


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (400, "could not be understood"),
        (403, "do not have access"),
        (404, "Page not found"),
        (413, "Too large"),
        (429, "Too many attempts"),
        (500, "Something went wrong"),
    ],
)
def test_error_pages_are_friendly(erroring_app, code, title):
    client = erroring_app.test_client()
    response = client.get(f"/_boom/{code}")
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert title in body
    assert "Traceback" not in body
    assert "secret internal detail" not in body
    assert response.headers["Content-Security-Policy"]


def test_oversized_request_gets_413(client, app):
    data = {"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10), "password": "y"}
    response = client.post("/login", data=data)
    assert response.status_code == 413


def test_json_clients_get_json_errors(client):
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "Page not found"


def test_https_mode_hardens_cookies_and_adds_hsts(database_url):
    from assessment import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k" * 32, "DATABASE_URL": database_url, "HTTPS": True}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    response = app.test_client().get("/login", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    app.extensions["db_engine"].dispose()
