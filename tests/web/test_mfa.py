"""Multi-factor authentication (TOTP): required for administrators, optional or required by
organisation for officers; codes used once; recovery codes; limits; re-authentication."""

from __future__ import annotations

import re
from datetime import datetime

import pyotp
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent, Organisation
from assessment.services import mfa
from assessment.services.users import find_by_email

from ..conftest import MFA_RECOVERY, MFA_SECRETS, PASSWORD, enrol_mfa


def user(app, email):
    with app.app_context():
        return find_by_email(get_session(), email)


def password_step(client, email):
    return client.submit("/login", {"email": email, "password": PASSWORD}, form_page="/login")


def logged_in(client) -> bool:
    return client.get("/account/password").status_code == 200


def test_an_administrator_is_not_logged_in_before_the_code(client, people):
    response = password_step(client, people.admin)
    assert response.headers["Location"] == "/login/mfa"
    assert not logged_in(client)
    assert client.get("/admin/users").status_code == 302


def test_the_right_code_completes_the_login(client, people):
    password_step(client, people.admin)
    response = client.submit("/login/mfa", {"code": client.next_code(people.admin)})
    assert response.status_code == 302
    assert logged_in(client)


def test_a_wrong_code_is_refused(client, people):
    password_step(client, people.admin)
    response = client.submit("/login/mfa", {"code": "000000"})
    assert response.status_code == 422
    assert "That code is not right" in response.get_data(as_text=True)
    assert not logged_in(client)


def test_a_code_cannot_be_used_twice(client, people, make_client):
    password_step(client, people.admin)
    code = client.next_code(people.admin)
    assert client.submit("/login/mfa", {"code": code}).status_code == 302
    other = make_client()
    password_step(other, people.admin)
    assert other.submit("/login/mfa", {"code": code}).status_code == 422


def test_a_recovery_code_works_once(client, people, make_client):
    code = MFA_RECOVERY[people.admin][0]
    password_step(client, people.admin)
    assert client.submit("/login/mfa", {"code": code.upper()}).status_code == 302
    other = make_client()
    password_step(other, people.admin)
    assert other.submit("/login/mfa", {"code": code}).status_code == 422
    with client.application.app_context():
        session = get_session()
        assert mfa.codes_left(session, find_by_email(session, people.admin)) == 9


def test_wrong_codes_are_rate_limited(client, people):
    password_step(client, people.admin)
    for _ in range(5):
        assert client.submit("/login/mfa", {"code": "123456"}).status_code == 422
    assert client.submit("/login/mfa", {"code": client.next_code(people.admin)}).status_code == 429


def test_the_code_page_without_a_password_step_sends_back_to_login(client, people):
    assert client.get("/login/mfa").headers["Location"].startswith("/login")
    assert client.get("/login/mfa/setup").headers["Location"].startswith("/login")


def test_an_administrator_without_mfa_must_set_it_up_first(app, client, people):
    with app.app_context():
        session = get_session()
        from assessment.services import mfa

        mfa.reset(
            session, find_by_email(session, people.admin), find_by_email(session, people.admin)
        )
    response = password_step(client, people.admin)
    assert response.headers["Location"] == "/login/mfa/setup"
    page = client.get("/login/mfa/setup").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn on the server
    secret = re.search(r'data-key="([A-Z2-7]+)"', page).group(1)
    assert client.get("/admin/users").status_code == 302  # not logged in yet
    wrong = client.submit("/login/mfa/setup", {"code": "000000"})
    assert wrong.status_code == 422
    done = client.submit("/login/mfa/setup", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9-]{14})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert logged_in(client)
    assert user(app, people.admin).has_mfa


def test_an_organisation_can_require_mfa_for_its_officers(app, client, people, make_client):
    admin = make_client()
    admin.login(people.admin)
    response = admin.submit(
        f"/admin/organisations/{people.org_a}/edit",
        {"name": "Port of Aldport", "kind": "port_authority", "country": "NL", "require_mfa": "y"},
    )
    assert response.status_code == 302
    assert password_step(client, people.officer_a).headers["Location"] == "/login/mfa/setup"
    other = make_client()
    assert password_step(other, people.officer_b).headers["Location"] == "/home"


def test_officers_can_turn_mfa_on_and_off_with_their_password(app, client, people):
    client.login(people.officer_a)
    page = client.get("/account/mfa").get_data(as_text=True)
    secret = re.search(r'data-key="([A-Z2-7]+)"', page).group(1)
    client.submit("/account/mfa", {"code": pyotp.TOTP(secret).now()})
    assert user(app, people.officer_a).has_mfa
    wrong = client.submit(
        "/account/mfa/disable", {"password": "not my password"}, form_page="/account/mfa"
    )
    assert wrong.status_code == 422
    assert user(app, people.officer_a).has_mfa
    client.submit("/account/mfa/disable", {"password": PASSWORD}, form_page="/account/mfa")
    assert not user(app, people.officer_a).has_mfa


def test_administrators_cannot_turn_it_off(app, client, people):
    client.login(people.admin)
    client.submit("/account/mfa/disable", {"password": PASSWORD}, form_page="/account/mfa")
    assert user(app, people.admin).has_mfa
    assert "required for your account" in client.get("/account/mfa").get_data(as_text=True)


def test_new_recovery_codes_replace_the_old(app, client, people):
    old = MFA_RECOVERY[people.admin][:]
    client.login(people.admin)
    page = client.submit(
        "/account/mfa/recovery", {"password": PASSWORD}, form_page="/account/mfa"
    ).get_data(as_text=True)
    new = re.findall(r"<li><code>([a-z2-9-]{14})</code></li>", page)
    assert len(new) == 10
    assert not set(new) & set(old)


def test_an_administrator_can_reset_a_lost_phone(app, client, people, make_client):
    with app.app_context():
        enrol_mfa(get_session(), find_by_email(get_session(), people.officer_a))
    officer = make_client()
    officer.login(people.officer_a)
    assert logged_in(officer)
    client.login(people.admin)
    officer_id = user(app, people.officer_a).id
    assert "Reset multi-factor" in client.get(f"/admin/users/{officer_id}/edit").get_data(
        as_text=True
    )
    client.submit(f"/admin/users/{officer_id}/mfa-reset")
    assert not user(app, people.officer_a).has_mfa
    assert not logged_in(officer)  # their sessions ended
    with app.app_context():
        assert (
            get_session().scalar(select(AuditEvent).where(AuditEvent.action == "user.mfa_reset"))
            is not None
        )


def test_a_pending_login_ends_when_the_account_is_deactivated(app, client, people):
    password_step(client, people.admin)
    with app.app_context():
        session = get_session()
        admin = find_by_email(session, people.admin)
        admin.active = False
        session.commit()
    response = client.submit(
        "/login/mfa", {"code": client.next_code(people.admin)}, form_page="/login"
    )
    assert response.headers["Location"].startswith("/login")
    assert not logged_in(client)


def test_codes_from_the_next_step_are_accepted_for_clock_drift(client, people):
    secret = MFA_SECRETS[people.admin]
    totp = pyotp.TOTP(secret)
    password_step(client, people.admin)
    later = totp.generate_otp(totp.timecode(datetime.now()) + 1)  # noqa: DTZ005
    assert client.submit("/login/mfa", {"code": later}).status_code == 302


def test_organisation_flag_is_stored(app, people):
    with app.app_context():
        assert get_session().get(Organisation, people.org_a).require_mfa is False
