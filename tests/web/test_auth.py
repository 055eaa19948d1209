"""Login, logout, sessions, rate limits, redirects, CSRF."""

from __future__ import annotations

import pytest

from assessment.web.auth.views import LOGIN_FAILED

from ..conftest import PASSWORD


def test_login_page_is_served(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Log in" in response.get_data(as_text=True)


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_and_logout(client, people):
    response = client.login(people.officer_a)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert "Officer.A" in client.get("/home", follow_redirects=True).get_data(as_text=True)

    response = client.logout()
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("officer.a@aldport.example", "wrong password entirely"),
        ("nobody@nowhere.example", PASSWORD),
    ],
)
def test_wrong_password_and_unknown_user_get_the_same_message(client, people, email, password):
    response = client.login(email, password)
    assert response.status_code == 200
    assert LOGIN_FAILED in response.get_data(as_text=True)
    assert client.get("/account/password").status_code == 302


def test_email_is_case_insensitive(client, people):
    assert client.login(people.officer_a.upper()).status_code == 302


def test_session_is_renewed_at_login(client, people):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.login(people.officer_a)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.permanent


def test_old_cookie_is_refused_after_logout(app, client, people, make_client):
    client.login(people.officer_a)
    stolen = client.get_cookie("session").value
    client.logout()
    replay = make_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/account/password").status_code == 302


def test_deactivation_ends_live_sessions(app, client, people, make_client):
    client.login(people.officer_a)
    assert client.get("/account/password").status_code == 200
    admin = make_client()
    admin.login(people.admin)
    from assessment.db import get_session
    from assessment.services.users import find_by_email

    with app.app_context():
        officer_id = find_by_email(get_session(), people.officer_a).id
    page = f"/admin/users/{officer_id}/active"
    assert "Deactivate" in admin.get(page).get_data(as_text=True)
    assert admin.submit(page).status_code == 302
    assert client.get("/account/password").status_code == 302
    assert client.login(people.officer_a).status_code == 200  # cannot log in again


def test_deactivating_the_organisation_locks_out_its_officers(app, client, people, make_client):
    client.login(people.officer_a)
    admin = make_client()
    admin.login(people.admin)
    page = f"/admin/organisations/{people.org_a}/active"
    assert admin.submit(page).status_code == 302
    assert client.get("/account/password").status_code == 302
    other = make_client()
    assert other.login(people.officer_b).status_code == 302  # the other organisation is fine


def test_password_change_ends_other_sessions_but_keeps_this_one(client, people, make_client):
    client.login(people.officer_a)
    laptop = make_client()
    laptop.login(people.officer_a)
    new = "a completely new passphrase"
    response = client.submit(
        "/account/password", {"current_password": PASSWORD, "new_password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200
    assert laptop.get("/account/password").status_code == 302
    client.logout()
    assert client.login(people.officer_a, PASSWORD).status_code == 200
    assert client.login(people.officer_a, new).status_code == 302


def test_password_change_refuses_a_common_password(client, people):
    client.login(people.officer_a)
    response = client.submit(
        "/account/password",
        {"current_password": PASSWORD, "new_password": "password1234", "confirm": "password1234"},
    )
    assert response.status_code == 200
    assert "too common" in response.get_data(as_text=True)


def test_password_change_needs_the_current_password(client, people):
    client.login(people.officer_a)
    new = "a completely new passphrase"
    response = client.submit(
        "/account/password",
        {"current_password": "not my password", "new_password": new, "confirm": new},
    )
    assert "This is not your current password." in response.get_data(as_text=True)


def test_failed_logins_are_rate_limited_per_account(client, people, make_client):
    for _ in range(10):
        assert client.login(people.officer_a, "wrong password entirely").status_code == 200
    assert client.login(people.officer_a, "wrong password entirely").status_code == 429
    # the right password is refused too while the account is throttled
    assert client.login(people.officer_a).status_code == 429
    # other accounts are not affected
    assert make_client().login(people.officer_b).status_code == 302


def test_failed_logins_are_rate_limited_per_address(client, people):
    for n in range(30):
        response = client.login(f"guess{n}@nowhere.example", "wrong password entirely")
        assert response.status_code == 200
    response = client.login("another@nowhere.example", "wrong password entirely")
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_successful_logins_do_not_count_towards_the_limit(client, people):
    for _ in range(12):
        assert client.login(people.officer_a).status_code == 302
        client.logout()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
        "/%09/evil.example",
        "///evil.example",
    ],
)
def test_next_accepts_only_local_paths(client, people, target):
    response = client.submit(
        f"/login?next={target}",
        {"email": people.officer_a, "password": PASSWORD},
        form_page="/login",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_next_with_a_local_path_is_followed(client, people):
    response = client.submit(
        "/login?next=/account/password",
        {"email": people.officer_a, "password": PASSWORD},
        form_page="/login",
    )
    assert response.headers["Location"] == "/account/password"


def test_login_without_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"email": people.officer_a, "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert client.get("/account/password").status_code == 302


def test_csrf_token_of_another_session_is_refused(client, people, make_client):
    foreign_token = make_client().csrf_token()
    response = client.post(
        "/login",
        data={"email": people.officer_a, "password": PASSWORD, "csrf_token": foreign_token},
    )
    assert response.status_code == 400


def test_logout_needs_post_and_csrf(client, people):
    client.login(people.officer_a)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/account/password").status_code == 200


def test_session_cookie_flags(client, people):
    response = client.login(people.officer_a)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # 8-hour permanent session, not a browser-session cookie
