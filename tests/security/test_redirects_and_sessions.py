"""Items 5 and 6: open redirects , session fixation (26), replay after logout (27), and
live cookies of moved or demoted users (11).

tests/web/test_auth.py already checks: a planted key is gone after login, a stolen cookie is
refused after logout (GET), deactivation and password change end sessions, and the case-25
values pasted raw into the login URL. This module adds what it does not cover.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from assessment.models import User

from ..conftest import PASSWORD
from .helpers import (
    changed_tables,
    open_section,
    row,
    section_url,
    snapshot,
    token_of,
    with_token,
)

CASE_25 = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
]
NEIGHBOURS = [
    "/%2F/evil.example",  # may be kept: a browser reads it as a path of this site
    "/\t/evil.example",
    " //evil.example",
    "http://localhost@evil.example",
    "https://evil.example/assessments/",
    "data:text/html,<script>alert(1)</script>",
]
NEXT_VALUES = [*CASE_25, *NEIGHBOURS]


def assert_local(location: str, target: str, expected: str = "/home") -> None:
    """The redirect stays on this site as a browser resolves it (no scheme, no host, no
    backslash, which browsers read as a slash); for the case-25 values it is the default."""
    parts = urlsplit(location)
    assert not parts.scheme, location
    assert not parts.netloc, location
    assert "\\" not in location
    assert location.startswith("/"), location
    assert not location.startswith("//"), location
    resolved = urlsplit(urljoin("https://assess.example/login", location))
    assert (resolved.scheme, resolved.netloc) == ("https", "assess.example"), location
    if target not in NEIGHBOURS:
        assert location == expected


def cookie_name(app: Flask) -> str:
    return app.config["SESSION_COOKIE_NAME"]


@pytest.mark.parametrize("target", NEXT_VALUES)
def test_login_ignores_a_foreign_next(client, people, target):
    """The value arrives exactly as given (encoded by the client, decoded by the server)."""
    token = token_of(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": people.officer_a, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert_local(response.headers["Location"], target)


@pytest.mark.parametrize("target", NEXT_VALUES)
def test_a_logged_in_visit_to_login_ignores_next(client, people, target):
    client.login(people.officer_a)
    response = client.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert_local(response.headers["Location"], target)


@pytest.mark.parametrize("target", [*NEXT_VALUES, "/admin/users"])
def test_next_survives_the_second_factor_only_when_local(client, people, target):
    """An administrator's next= is kept while the code is asked, and checked again after."""
    token = token_of(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": people.admin, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/login/mfa"
    response = client.submit("/login/mfa", {"code": client.next_code(people.admin)})
    assert response.status_code == 302
    expected = "/admin/users" if target == "/admin/users" else "/home"
    assert_local(response.headers["Location"], target, expected)


def test_next_in_the_form_body_is_ignored(client, people):
    data = {"email": people.officer_a, "password": PASSWORD, "next": "https://evil.example"}
    response = client.submit("/login", data)
    assert_local(response.headers["Location"], data["next"])


def test_the_login_redirect_carries_only_a_local_next(client):
    response = client.get("/assessments/", headers={"Host": "evil.example"})
    location = response.headers["Location"]
    assert urlsplit(location).netloc in ("", "localhost")
    assert urlsplit(location).path == "/login"


def test_the_pre_login_cookie_is_not_logged_in(app, client, people, make_client):
    """An attacker who knows (or planted) the cookie before login gains nothing from it."""
    token_of(client, "/login")
    before = client.get_cookie(cookie_name(app)).value
    assert client.login(people.officer_a).status_code == 302
    after = client.get_cookie(cookie_name(app)).value
    assert after != before
    attacker = make_client()
    attacker.set_cookie(cookie_name(app), before)
    response = attacker.get("/assessments/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def _forged_cookie(app: Flask, secret: str, payload: dict) -> str:
    signer = Flask("forger")
    signer.config["SECRET_KEY"] = secret
    return SecureCookieSessionInterface().get_signing_serializer(signer).dumps(payload)


def test_a_session_forged_with_another_key_is_ignored(app, client, people, make_client):
    client.login(people.officer_a)
    with client.session_transaction() as session:
        real = dict(session)  # the user id and its current nonce: all an attacker could want
    forged = make_client()
    forged.set_cookie(cookie_name(app), _forged_cookie(app, "not the secret key" * 3, real))
    assert forged.get("/assessments/").status_code == 302
    control = make_client()
    control.set_cookie(cookie_name(app), _forged_cookie(app, app.config["SECRET_KEY"], real))
    assert control.get("/assessments/").status_code == 200  # the same payload, rightly signed


def test_a_replayed_cookie_and_token_cannot_post_after_logout(app, world, make_client):
    """The stolen cookie and the CSRF token of its page, replayed after the owner logged out."""
    officer = world.officer_a
    form = open_section(officer, world.a_open, "a").set("a:a1", "yes").set("c:a1", "replayed")
    stolen = officer.get_cookie(cookie_name(app)).value
    assert officer.logout().status_code == 302
    before = snapshot(app)
    replay = make_client()
    replay.set_cookie(cookie_name(app), stolen)
    for path in (section_url(world.a_open, "a"), section_url(world.a_open, "a") + "/autosave"):
        response = replay.post(path, data=form.data())
        assert response.status_code in (302, 401), path
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login")
    assert changed_tables(before, snapshot(app)) == []


def test_logout_ends_the_sessions_on_other_devices_too(client, people, make_client):
    laptop = make_client()
    laptop.login(people.officer_a)
    client.login(people.officer_a)
    assert laptop.get("/assessments/").status_code == 200
    client.logout()
    assert laptop.get("/assessments/").status_code == 302


def test_a_moved_officers_live_cookie_is_refused(app, world):
    """Officer A moved to organisation B: the old session must not go on with A's rights."""
    a_id = world.user_ids["officer_a"]
    page = f"/admin/users/{a_id}/edit"
    data = {
        "email": world.people.officer_a,
        "display_name": "Officer A",
        "role": "officer",
        "organisation_id": str(world.org_b),
        "password": "",
    }
    assert world.officer_a.get(f"/assessments/{world.a_open}/review").status_code == 200
    response = world.admin.post(page, data=with_token(data, token_of(world.admin, page)))
    assert response.status_code == 302
    assert row(app, User, a_id).organisation_id == world.org_b
    assert world.officer_a.get(f"/assessments/{world.a_open}/review").status_code == 302
    assert world.officer_a.get("/assessments/").status_code == 302


def test_a_promoted_officers_live_cookie_is_refused(app, world):
    b_id = world.user_ids["officer_b"]
    page = f"/admin/users/{b_id}/edit"
    data = {
        "email": world.people.officer_b,
        "display_name": "Officer B",
        "role": "admin",
        "organisation_id": str(world.org_b),
        "password": "",
    }
    response = world.admin.post(page, data=with_token(data, token_of(world.admin, page)))
    assert response.status_code == 302
    assert world.officer_b.get("/assessments/").status_code == 302
    assert world.officer_b.get("/admin/users").status_code == 302  # not 200: logged out


def test_a_login_waiting_for_its_code_is_not_a_login(app, client, people):
    response = client.submit("/login", {"email": people.admin, "password": PASSWORD})
    assert response.headers["Location"] == "/login/mfa"
    for path in ("/home", "/assessments/", "/admin/users", "/account/password"):
        assert client.get(path).status_code == 302, path
    before = snapshot(app)
    data = {"name": "Port of Pending", "kind": "terminal", "country": "BE"}
    token = token_of(client, "/login/mfa")
    response = client.post("/admin/organisations/new", data=with_token(data, token))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert changed_tables(before, snapshot(app)) == []


def test_a_cookie_replayed_from_another_browser_is_refused(app, client, people, make_client):
    browser = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
    client.get("/login", headers=browser)
    token = token_of(client, "/login")
    client.post(
        "/login",
        data={"email": people.officer_a, "password": PASSWORD, "csrf_token": token},
        headers=browser,
    )
    assert client.get("/assessments/", headers=browser).status_code == 200
    thief = make_client()
    thief.set_cookie(cookie_name(app), client.get_cookie(cookie_name(app)).value)
    response = thief.get(
        "/assessments/",
        headers={"User-Agent": "curl/8.5.0"},
        environ_base={"REMOTE_ADDR": "127.0.0.2"},
    )
    assert response.status_code == 302
