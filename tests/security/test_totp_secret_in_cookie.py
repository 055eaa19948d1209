"""Reading the second factor's secret out of the session cookie: Flask's cookie is signed, not
encrypted, so whoever holds it (a shared computer, a proxy log, malware reading the cookie jar)
could read a secret kept there during enrolment and make codes forever. The secret stays on
the server until a first code proves the person's app has it.
"""

from __future__ import annotations

import re

import pyotp

from assessment.db import get_session
from assessment.services.users import find_by_email

from ..conftest import PASSWORD

SECRET_SHOWN = re.compile(r'data-key="([A-Z2-7]+)"')


def cookie_contents(client) -> str:
    """The session cookie as anyone holding it can read it (decoded, signature ignored)."""
    app = client.application
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    serializer = app.session_interface.get_signing_serializer(app)
    return repr(serializer.loads_unsafe(cookie.value)[1]) + cookie.value


def stored_setup_secret(app, email: str) -> str | None:
    with app.app_context():
        return find_by_email(get_session(), email).mfa_setup_secret


def test_enrolment_in_the_account_settings(app, people, make_client):
    officer = make_client()
    officer.login(people.officer_a)
    secret = SECRET_SHOWN.search(officer.get("/account/mfa").get_data(as_text=True)).group(1)
    assert secret not in cookie_contents(officer)
    assert stored_setup_secret(app, people.officer_a) == secret
    # reloading shows the same secret (an app may already have scanned it)
    assert SECRET_SHOWN.search(officer.get("/account/mfa").get_data(as_text=True)).group(1) == (
        secret
    )
    response = officer.submit("/account/mfa", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert secret not in cookie_contents(officer)
    with app.app_context():
        user = find_by_email(get_session(), people.officer_a)
        assert user.has_mfa
        assert user.mfa_secret == secret
        assert user.mfa_setup_secret is None  # used: no second copy lying around


def test_enrolment_required_at_login(app, people, make_client):
    """An administrator without a second factor enrols before the login completes."""
    from assessment.services import mfa

    with app.app_context():
        session = get_session()
        admin = find_by_email(session, people.admin)
        mfa.reset(session, admin, admin)
    client = make_client()
    response = client.submit("/login", {"email": people.admin, "password": PASSWORD})
    assert response.headers["Location"] == "/login/mfa/setup"
    secret = SECRET_SHOWN.search(client.get("/login/mfa/setup").get_data(as_text=True)).group(1)
    assert secret not in cookie_contents(client)
    assert client.submit("/login/mfa/setup", {"code": "000000"}).status_code == 422
    assert secret not in cookie_contents(client)
    done = client.submit("/login/mfa/setup", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert secret not in cookie_contents(client)
    assert stored_setup_secret(app, people.admin) is None


def test_two_pages_opened_at_once_show_one_secret(app, people, make_client):
    first, second = make_client(), make_client()
    first.login(people.officer_a)
    second.login(people.officer_a)
    shown = {
        SECRET_SHOWN.search(client.get("/account/mfa").get_data(as_text=True)).group(1)
        for client in (first, second)
    }
    assert len(shown) == 1
