"""Guessing a password or a second-factor code wherever one is asked for: the login, the
password change, turning MFA off, new recovery codes, the code after the password.

The README's limits: 10 wrong passwords per account (and 30 per address) in 15 minutes, shared
by every form that asks for the password; 5 wrong codes per account (and per address) in 5
minutes. Every wrong guess counts; once a budget is spent the next attempt is refused (429)
even with the right secret; right guesses cost nothing. (Across gunicorn's workers:
test_limits_across_workers.py.)
"""

from __future__ import annotations

import pytest

from assessment.db import get_session
from assessment.services import users
from assessment.services.users import find_by_email

from ..conftest import PASSWORD, enrol_mfa
from .helpers import assert_generic_error, assert_no_leak

WRONG = "not the password at all"
NEW = "an entirely fresh passphrase"


def change_password(client, current: str):
    return client.submit(
        "/account/password", {"current_password": current, "new_password": NEW, "confirm": NEW}
    )


def mfa_form(client, action: str, password: str):
    return client.submit(f"/account/mfa/{action}", {"password": password}, form_page="/account/mfa")


def password_is(app, email: str, password: str) -> bool:
    with app.app_context():
        return users.check_password(find_by_email(get_session(), email), password)


def has_mfa(app, email: str) -> bool:
    with app.app_context():
        return find_by_email(get_session(), email).has_mfa


def test_the_11th_current_password_is_refused_even_when_right(app, people, make_client):
    officer = make_client()
    officer.login(people.officer_a)
    for _ in range(10):
        response = change_password(officer, WRONG)
        assert "This is not your current password." in response.get_data(as_text=True)
    assert_generic_error(change_password(officer, PASSWORD), 429)
    assert password_is(app, people.officer_a, PASSWORD)  # the right guess changed nothing
    assert officer.get("/account/password").status_code == 200  # the session goes on


def test_a_right_password_costs_nothing(app, people, make_client):
    officer = make_client()
    officer.login(people.officer_a)
    for _ in range(9):
        change_password(officer, WRONG)
    assert change_password(officer, PASSWORD).status_code == 302
    assert password_is(app, people.officer_a, NEW)
    # nine wrong guesses counted, the right one not: one more wrong one, then refused
    assert "not your current password" in change_password(officer, WRONG).get_data(as_text=True)
    assert_generic_error(change_password(officer, NEW), 429)


def test_login_and_account_forms_share_one_budget(app, people, make_client):
    """A session holder cannot add the login's guesses to the password form's, or the MFA
    forms' to either: one budget of wrong passwords per account."""
    with app.app_context():
        enrol_mfa(get_session(), find_by_email(get_session(), people.officer_a))
    officer = make_client()
    officer.login(people.officer_a)
    anonymous = make_client()
    for _ in range(4):
        assert anonymous.login(people.officer_a, WRONG).status_code == 200
    for _ in range(3):
        change_password(officer, WRONG)
    for action in ("disable", "recovery", "disable"):
        assert mfa_form(officer, action, WRONG).status_code == 422
    assert_generic_error(mfa_form(officer, "disable", PASSWORD), 429)
    assert_generic_error(anonymous.login(people.officer_a), 429)
    assert has_mfa(app, people.officer_a)


@pytest.mark.parametrize("action", ["disable", "recovery"])
def test_every_wrong_password_on_the_mfa_forms_counts(app, people, make_client, action):
    with app.app_context():
        enrol_mfa(get_session(), find_by_email(get_session(), people.officer_a))
    officer = make_client()
    officer.login(people.officer_a)
    for _ in range(10):
        response = mfa_form(officer, action, WRONG)
        assert response.status_code == 422
        assert "This is not your password." in response.get_data(as_text=True)
    response = mfa_form(officer, action, PASSWORD)
    assert_generic_error(response, 429)
    assert "recovery code" not in response.get_data(as_text=True)
    assert has_mfa(app, people.officer_a)


@pytest.mark.parametrize("action", ["disable", "recovery"])
@pytest.mark.parametrize("password", [WRONG, PASSWORD])
def test_the_mfa_forms_of_a_user_without_mfa_are_no_server_error(
    app, people, make_client, action, password
):
    """Was a 500: the settings page was drawn for a user without MFA ('None' has no
    attribute 'strftime'). Now there is nothing to change, and the password is not checked."""
    officer = make_client()
    officer.login(people.officer_a)
    response = mfa_form(officer, action, password)
    assert_no_leak(response, f"/account/mfa/{action}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/mfa"
    assert "is not on for your account" in officer.get("/account/mfa").get_data(as_text=True)
    assert not has_mfa(app, people.officer_a)


def test_a_spent_account_budget_ends_no_session(app, people, make_client):
    """The lock-out trade-off (README): anyone who knows an e-mail address can spend its
    budget, which stops new logins for the window, but never a session already open."""
    officer = make_client()
    officer.login(people.officer_a)
    attacker = make_client()
    for _ in range(10):
        attacker.login(people.officer_a, WRONG)
    assert_generic_error(make_client().login(people.officer_a), 429)
    assert officer.get("/assessments/").status_code == 200


def test_wrong_codes_count_across_new_password_steps(app, people, make_client):
    """Starting the login again does not start a new count of second-factor guesses."""
    first = make_client()
    assert first.submit("/login", {"email": people.admin, "password": PASSWORD}).status_code == 302
    for _ in range(3):
        assert first.submit("/login/mfa", {"code": "000000"}).status_code == 422
    second = make_client()
    second.submit("/login", {"email": people.admin, "password": PASSWORD})
    for _ in range(2):
        assert second.submit("/login/mfa", {"code": "000000"}).status_code == 422
    response = second.submit("/login/mfa", {"code": second.next_code(people.admin)})
    assert_generic_error(response, 429)
