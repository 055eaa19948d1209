"""A password an administrator set is replaced by its holder before anything else (issue 17):
every page but the password page, logout and the MFA pages sends them there, until they have
chosen their own; the command line's accounts are not forced."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from assessment.cli import cli
from assessment.db import get_session
from assessment.models import Assessment, AuditEvent, User
from assessment.services import users
from assessment.services.users import find_by_email

from ..conftest import PASSWORD
from .test_assessments import open_section, section_url, start, stored

ADMIN_SET = "a password the admin chose"
OWN = "my very own harbour phrase"
NEWCOMER = "new.officer@aldport.example"
MESSAGE = "An administrator set your password. Choose your own to continue."


def stored_user(app, email: str) -> User:
    with app.app_context():
        return find_by_email(get_session(), email)


def user_form(email: str, organisation_id: int | None, password: str, role="officer") -> dict:
    return {
        "email": email,
        "display_name": email.split("@")[0].title(),
        "role": role,
        "organisation_id": str(organisation_id or 0),
        "password": password,
    }


@pytest.fixture
def admin(make_client, people):
    client = make_client()
    assert client.login(people.admin).status_code == 302
    return client


@pytest.fixture
def newcomer(app, admin, people):
    """An officer of organisation A whose password the administrator typed in the form."""
    response = admin.submit("/admin/users/new", user_form(NEWCOMER, people.org_a, ADMIN_SET))
    assert response.status_code == 302
    return NEWCOMER


def change(client, current: str, new: str):
    return client.submit(
        "/account/password", {"current_password": current, "new_password": new, "confirm": new}
    )


def test_an_officer_the_admin_created_is_sent_to_the_password_page_at_login(
    app, newcomer, make_client
):
    assert stored_user(app, newcomer).must_change_password
    officer = make_client()
    response = officer.login(newcomer, ADMIN_SET)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"
    page = officer.get("/account/password").get_data(as_text=True)
    assert MESSAGE in page
    assert "Cancel" not in page  # there is nowhere else to go yet


def test_every_other_request_is_redirected_until_the_password_is_changed(
    app, people, newcomer, make_client, scoring_set
):
    colleague = make_client()
    colleague.login(people.officer_a)
    assessment_id = start(colleague)  # one of their organisation's, which they could open
    section = open_section(colleague, assessment_id, "a").set("a:a1", "yes")

    officer = make_client()
    officer.login(newcomer, ADMIN_SET)
    token = officer.csrf_token("/account/password")
    refused_gets = [
        "/",
        "/home",
        "/login",
        "/assessments/",
        f"/assessments/{assessment_id}",
        f"/assessments/{assessment_id}/result.json",
        f"/assessments/{assessment_id}/answers.csv",
        f"/assessments/{assessment_id}/report.pdf",
        "/sector/",
        "/no/such/page",
    ]
    for path in refused_gets:
        response = officer.get(path)
        assert (response.status_code, response.headers.get("Location")) == (
            303,
            "/account/password",
        ), path
    autosave = officer.post(
        section_url(assessment_id, "a") + "/autosave",
        data=section.set("csrf_token", token).data(),
        headers={"Accept": "application/json"},
    )
    assert autosave.status_code == 303
    assert autosave.headers["Location"] == "/account/password"
    assert "a1" not in stored(app, assessment_id)  # the request was not carried out
    new = officer.post(
        "/assessments/new", data={"csrf_token": token, "title": "Mine", "scope": "All"}
    )
    assert new.status_code == 303
    with app.app_context():
        titles = get_session().scalars(select(Assessment.title)).all()
    assert titles == ["Annual check 2026"]

    # What choosing a password needs stays open.
    with officer.get("/static/app.css") as stylesheet:
        assert stylesheet.status_code == 200
    assert officer.get("/account/mfa").status_code == 200
    assert officer.get("/account/password").status_code == 200


def test_after_choosing_their_own_password_the_officer_reaches_the_dashboard(
    app, newcomer, make_client
):
    officer = make_client()
    officer.login(newcomer, ADMIN_SET)
    response = change(officer, ADMIN_SET, OWN)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    home = officer.get("/home", follow_redirects=True)
    assert home.status_code == 200
    assert "Your password is changed" in home.get_data(as_text=True)
    assert officer.get("/assessments/").status_code == 200
    assert not stored_user(app, newcomer).must_change_password

    again = make_client()  # and next time they log in with theirs, straight in
    assert again.login(newcomer, ADMIN_SET).status_code == 200
    assert again.login(newcomer, OWN).headers["Location"] == "/home"
    with app.app_context():
        events = get_session().scalars(
            select(AuditEvent).where(AuditEvent.action == "user.password")
        )
        changed = [e.details for e in events]
    assert changed == [{"by_self": True}]


def test_the_administrators_password_cannot_be_kept(app, newcomer, make_client):
    officer = make_client()
    officer.login(newcomer, ADMIN_SET)
    response = change(officer, ADMIN_SET, ADMIN_SET)
    assert response.status_code == 200
    assert "different from the one your administrator set" in response.get_data(as_text=True)
    assert stored_user(app, newcomer).must_change_password
    assert officer.get("/home").status_code == 303


def test_logout_still_works_while_the_change_is_due(app, newcomer, make_client):
    officer = make_client()
    officer.login(newcomer, ADMIN_SET)
    response = officer.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert officer.get("/account/password").headers["Location"].startswith("/login?next=")


def test_a_generated_password_is_forced_too(app, admin, people, make_client):
    admin.submit("/admin/users/new", user_form(NEWCOMER, people.org_a, ""))
    flashed = admin.get("/admin/users").get_data(as_text=True)
    password = re.search(r"shown only now: ([a-z0-9-]+)", flashed).group(1)
    officer = make_client()
    assert officer.login(NEWCOMER, password).headers["Location"] == "/account/password"


def test_an_admin_reset_sets_the_flag_again(app, admin, people, make_client):
    officer = make_client()
    assert officer.login(people.officer_a).headers["Location"] == "/home"
    officer_id = stored_user(app, people.officer_a).id
    page = f"/admin/users/{officer_id}/edit"
    saved = admin.submit(page, user_form(people.officer_a, people.org_a, ADMIN_SET))
    assert saved.status_code == 302
    assert "choose their own password at their next login" in admin.get("/admin/users").get_data(
        as_text=True
    )
    assert stored_user(app, people.officer_a).must_change_password
    assert "They have not yet replaced the password" in admin.get(page).get_data(as_text=True)
    assert officer.get("/home").headers["Location"].startswith("/login")  # logged out
    assert officer.login(people.officer_a, ADMIN_SET).headers["Location"] == "/account/password"
    with app.app_context():
        event = get_session().scalar(select(AuditEvent).where(AuditEvent.action == "user.password"))
    assert event.details == {"by_self": False, "must_change_password": True}
    assert event.actor_email == people.admin


def test_an_administrator_changing_their_own_password_in_the_form_is_not_forced(app, admin, people):
    me = stored_user(app, people.admin)
    form = user_form(people.admin, None, OWN, role="admin")
    assert admin.submit(f"/admin/users/{me.id}/edit", form).status_code == 302
    assert not stored_user(app, people.admin).must_change_password


def test_after_the_second_factor_the_password_comes_first(app, admin, make_client):
    """An administrator created by another must enrol MFA, then choose a password."""
    admin.submit("/admin/users/new", user_form("second@port.example", None, ADMIN_SET, "admin"))
    newcomer = make_client()
    response = newcomer.login("second@port.example", ADMIN_SET)
    assert response.headers["Location"] == "/login/mfa/setup"
    setup = newcomer.get("/login/mfa/setup").get_data(as_text=True)
    secret = re.search(r'data-key="([A-Z2-7]+)"', setup).group(1)
    done = newcomer.submit("/login/mfa/setup", {"code": pyotp.TOTP(secret).now()})
    assert "Your recovery codes" in done.get_data(as_text=True)
    assert newcomer.get("/admin/users").headers["Location"] == "/account/password"
    assert MESSAGE in newcomer.get("/account/password").get_data(as_text=True)


@pytest.mark.parametrize(
    "command",
    [
        ["user", "create", "--email", "cli@aldport.example", "--name", "Cli"]
        + ["--organisation", "Port of Aldport"],
        ["user", "ensure-admin"],
    ],
)
def test_accounts_made_on_the_command_line_are_not_forced(app, people, make_client, command):
    env = {
        "PORT_ASSESS_PASSWORD": PASSWORD,
        "ASSESSMENT_ADMIN_EMAIL": "cli@aldport.example",
        "ASSESSMENT_ADMIN_PASSWORD": PASSWORD,
    }
    result = app.test_cli_runner().invoke(cli, command, env=env)
    assert result.exit_code == 0, result.output
    assert not stored_user(app, "cli@aldport.example").must_change_password
    client = make_client()
    # An officer goes straight in; an administrator to the second factor, not the password.
    assert client.login("cli@aldport.example").headers["Location"] in {
        "/home",
        "/login/mfa/setup",
    }


def test_a_reset_between_the_check_and_the_write_is_not_overwritten(app, newcomer, people):
    """The holder's change replaces only the password it compared against: had an
    administrator set another meanwhile, the holder's write changes nothing."""
    with app.app_context():
        holder_session = get_session()
        holder = find_by_email(holder_session, newcomer)  # as the password page loaded it
        with app.app_context():  # the administrator's request, in its own session
            session = get_session()
            users.set_password(
                session,
                find_by_email(session, people.admin),
                find_by_email(session, newcomer),
                "another one the admin chose",
                fast_hash=True,
            )
        with pytest.raises(users.UserError, match="changed meanwhile"):
            users.set_password(holder_session, holder, holder, OWN, fast_hash=True)
    assert stored_user(app, newcomer).must_change_password
