"""Every state-changing route refuses a missing, foreign, forged or expired
CSRF token with 400 and changes nothing; the same request with a valid token does change
something (so the refusals are about the token, not about the request).
"""

from __future__ import annotations

import pytest

from .helpers import (
    assert_generic_error,
    assert_security_headers,
    changed_tables,
    expired_token,
    https_app,
    snapshot,
    token_in,
    token_of,
    with_token,
)
from .routes import UNSAFE, action_for, client_for, patterns_where, rule_named

CSRF_MESSAGE = "The form had expired or was not sent from this site."

STATE_CHANGING = patterns_where(lambda r: bool(set(r.methods) & UNSAFE))


def variants(data, foreign: str, expired: str) -> list[tuple[str, object, dict]]:
    """(name, form fields, headers) of every bad-token request."""
    return [
        ("missing", with_token(data, None), {}),
        ("empty", with_token(data, ""), {}),
        ("garbage", with_token(data, "not-a-token"), {}),
        ("foreign session's", with_token(data, foreign), {}),
        ("foreign session's, as a header", with_token(data, None), {"X-CSRFToken": foreign}),
        ("expired (2 hours old)", with_token(data, expired), {}),
    ]


@pytest.mark.parametrize("pattern", STATE_CHANGING)
def test_bad_csrf_tokens_are_refused_and_change_nothing(app, world, make_client, pattern):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600  # as in production (tests run without a limit)
    rule = rule_named(app, pattern)
    action = action_for(rule, world)
    victim = client_for(world, action.role, make_client)
    path = action.path(world)
    token_of(victim, action.form_page)  # the victim's session has a token of its own
    attacker = make_client()
    if action.role not in ("anonymous", "pending_admin"):
        attacker = world.officer_b
    foreign = token_of(attacker, "/account/password" if attacker is world.officer_b else "/login")
    data = action.data(world, victim)
    before = snapshot(app)

    for name, fields, headers in variants(data, foreign, expired_token(app, victim)):
        response = victim.post(path, data=fields, headers=headers)
        assert_generic_error(response, 400)
        assert CSRF_MESSAGE in response.get_data(as_text=True), name
        assert_security_headers(response)
        assert changed_tables(before, snapshot(app)) == [], f"{name} token changed the database"

    if (
        action.control
    ):  # control: a token of this session, signed now, is accepted and does something
        fresh = expired_token(app, victim, age_seconds=0)
        response = victim.post(path, data=with_token(data, fresh))
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:2000]
        assert changed_tables(before, snapshot(app)), "the control request changed nothing"


def test_a_token_from_before_login_is_dead_after_login(app, client, people):
    """A token planted in the login page's session (fixation of the CSRF token) dies at login."""
    planted = token_of(client, "/login")
    assert client.login(people.officer_a).status_code == 302
    before = snapshot(app)
    data = {"current_password": "x" * 12, "new_password": "y" * 20, "confirm": "y" * 20}
    response = client.post("/account/password", data=with_token(data, planted))
    assert_generic_error(response, 400)
    assert changed_tables(before, snapshot(app)) == []


def test_cross_origin_referer_is_refused_over_https(app, database_url, people):
    """Over HTTPS, Flask-WTF's strict referrer check refuses a post from another site."""
    with https_app(database_url) as secure:
        client = secure.test_client()
        page = client.get("/login", base_url="https://localhost")
        token = token_in(page.get_data(as_text=True))
        data = {"email": people.officer_a, "password": "whatever it is", "csrf_token": token}
        for referer in (None, "https://evil.example/login", "http://localhost/login"):
            headers = {"Referer": referer} if referer else {}
            response = client.post(
                "/login", data=data, base_url="https://localhost", headers=headers
            )
            assert_generic_error(response, 400)
