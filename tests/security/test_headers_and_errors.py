"""Generic error pages for every error a real route gives, as the role
that meets it; session cookies over HTTPS (Secure, HttpOnly, SameSite, ``__Host-``, hours);
HSTS; no debugger; no file outside static/.

(tests/web/test_headers_and_errors.py covers a few pages and errors raised by a test route;
the GET walk of test_get_walk.py checks the headers of every page of the inventory.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from flask import abort

from ..conftest import PASSWORD
from .helpers import (
    assert_generic_error,
    assert_security_headers,
    https_app,
    token_in,
    token_of,
    with_token,
)


def error_requests(world, app, make_client) -> dict[int, list[tuple[str, object]]]:
    """For each error code, the requests of real routes that meet it, and who makes them."""
    officer, admin, other = world.officer_a, world.admin, world.officer_b
    over = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    return {
        400: [
            ("officer: no CSRF token", lambda: officer.post("/account/password", data={})),
            ("anonymous: no CSRF token", lambda: make_client().post("/login", data={})),
            ("admin: no CSRF token", lambda: admin.post("/admin/organisations/new", data={})),
        ],
        403: [
            ("officer at the users", lambda: officer.get("/admin/users")),
            ("officer at the editor", lambda: officer.get("/admin/question-sets/")),
            (
                "admin answering",
                lambda: admin.post(
                    f"/assessments/{world.a_open}/sections/a",
                    data=with_token({"q": "a1", "a:a1": "yes"}, token_of(admin)),
                ),
            ),
        ],
        404: [
            ("officer B at A's", lambda: other.get(f"/assessments/{world.a_open}/review")),
            ("officer: no such page", lambda: officer.get("/no/such/page")),
            ("anonymous: no such page", lambda: make_client().get("/no/such/page")),
            ("admin: no such user", lambda: admin.get("/admin/users/999999/edit")),
        ],
        405: [
            ("officer: GET /logout", lambda: officer.get("/logout")),
            ("officer: DELETE", lambda: officer.delete(f"/assessments/{world.a_open}")),
        ],
        413: [
            (
                "officer: oversized",
                lambda: officer.post(
                    "/account/password",
                    data=b"a=" + over.encode(),
                    content_type="application/x-www-form-urlencoded",
                ),
            ),
        ],
    }


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413])
def test_error_pages_are_generic_with_headers(app, world, make_client, code):
    for who, send in error_requests(world, app, make_client)[code]:
        response = send()
        assert_generic_error(response, code)
        assert_security_headers(response)
        assert "Werkzeug" not in response.get_data(as_text=True), who


@pytest.mark.parametrize(
    ("role", "path", "code"),
    [
        ("officer_a", "/admin/users", 403),
        ("officer_b", "/assessments/{a_open}/results", 404),
        ("officer_a", "/logout", 405),
    ],
)
def test_json_errors_are_generic(world, role, path, code):
    response = world.client(role).get(
        path.format(a_open=world.a_open), headers={"Accept": "application/json"}
    )
    assert response.status_code == code
    body = response.get_json()
    assert set(body) == {"error", "detail"}
    assert "Traceback" not in str(body)
    assert "Aldport" not in str(body)


def test_too_many_logins_get_a_generic_429(app, client, people):
    for _ in range(10):
        client.login(people.officer_b, "wrong password entirely")
    response = client.login(people.officer_b, "wrong password entirely")
    assert_generic_error(response, 429)
    assert_security_headers(response)


def test_a_crash_shows_nothing_of_it(app, world, monkeypatch):
    """An unexpected exception in a real view: the generic 500 page, nothing of the error."""
    import assessment.web.home as home

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail /etc/port-assess.conf")

    monkeypatch.setattr(home, "render_template", explode)
    response = world.admin.get("/home")
    assert_generic_error(response, 500)
    assert_security_headers(response)
    assert "secret internal detail" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../assessment/config.py",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/..%5c..%5cpyproject.toml",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/app.css%00.txt",
    ],
)
def test_no_file_outside_static(client, path):
    with client.get(path, follow_redirects=True) as response:  # // is merged: 308, then 404
        body = response.get_data()
    assert response.status_code in (400, 404), response.status_code
    for hop in response.history:  # the merge-slashes redirect stays in static/ on this host
        target = urlsplit(hop.headers["Location"])
        assert target.netloc in ("", "localhost")
        assert target.path.startswith("/static/")
    assert b"SECRET" not in body
    assert b"root:x:0:0" not in body
    assert b"[project]" not in body


def test_no_debugger(client, app):
    assert not app.debug
    with client.get("/no/such?__debugger__=yes&cmd=resource&f=debugger.js") as response:
        assert_generic_error(response, 404)
        assert "Werkzeug" not in response.get_data(as_text=True)


# Over HTTPS (ASSESSMENT_HTTPS=true): the cookie and HSTS


def https_login(client, email: str):
    """Log in over HTTPS, as a browser on the site (the referrer is checked there)."""
    base = "https://localhost"
    page = client.get("/login", base_url=base)
    data = {
        "email": email,
        "password": PASSWORD,
        "csrf_token": token_in(page.get_data(as_text=True)),
    }
    return client.post("/login", data=data, base_url=base, headers={"Referer": f"{base}/login"})


def session_cookie(response, name: str) -> dict[str, str]:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            parts = [p.strip() for p in header.split(";")]
            attributes = {
                p.split("=", 1)[0].lower(): (p.split("=", 1) + [""])[1] for p in parts[1:]
            }
            return attributes
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def test_session_cookie_over_https(database_url, people):
    with https_app(database_url) as app:
        client = app.test_client()
        response = https_login(client, people.officer_a)
        assert response.status_code == 302
        assert response.headers["Location"] == "/home"
        cookie = session_cookie(response, "__Host-session")
        assert "secure" in cookie
        assert "httponly" in cookie
        assert cookie["samesite"].lower() == "lax"
        assert cookie["path"] == "/"
        assert "domain" not in cookie  # __Host-: no Domain, Path=/, Secure
        expires = parsedate_to_datetime(cookie["expires"])
        lifetime = expires - datetime.now(UTC)
        assert (
            timedelta(hours=1) < lifetime <= timedelta(hours=app.config["SESSION_HOURS"], minutes=5)
        )
        names = [h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")]
        assert "remember_token" not in names  # no year-long remember-me cookie
        for page in ("/assessments/", "/account/password"):
            answer = client.get(page, base_url="https://localhost")
            assert answer.status_code == 200
            assert "max-age=31536000" in answer.headers["Strict-Transport-Security"]


def test_error_pages_over_https_carry_hsts(database_url, people):
    with https_app(database_url) as app:
        client = app.test_client()
        https_login(client, people.officer_a)
        for path, code in (("/admin/users", 403), ("/no/such/page", 404), ("/logout", 405)):
            response = client.get(path, base_url="https://localhost")
            assert_generic_error(response, code)
            assert "max-age=" in response.headers["Strict-Transport-Security"]
            assert_security_headers(response)


def test_session_cookie_over_http_lasts_hours(client, people):
    response = client.login(people.officer_a)
    cookie = session_cookie(response, "session")
    lifetime = parsedate_to_datetime(cookie["expires"]) - datetime.now(UTC)
    assert lifetime <= timedelta(hours=8, minutes=5)
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "lax"


@pytest.fixture
def erroring_app(database_url):
    """An app of its own with a route that fails with any code (routes cannot be added to
    the run's shared app once it has served a request)."""
    from assessment import create_app

    from ..conftest import app_settings

    app = create_app(app_settings(database_url))

    @app.get("/_boom/<int:code>")
    def boom(code):
        if code == 500:
            raise RuntimeError("secret internal detail")
        abort(code)

    yield app
    app.extensions["db_engine"].dispose()


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
def test_every_error_code_has_a_friendly_page_that_reveals_nothing(erroring_app, code, title):
    response = erroring_app.test_client().get(f"/_boom/{code}")
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert title in body
    assert "Traceback" not in body
    assert "secret internal detail" not in body
    assert_security_headers(response)
