"""A second-factor code sent by two logins at the same instant logs in once.

Two browsers pass the password step, then both send the same code at once (released by a
barrier) to gunicorn's two workers. Each round uses a person of its own, so every TOTP code is
fresh; recovery codes are used one per round."""

from __future__ import annotations

import time

import pyotp
import pytest
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent
from assessment.services import mfa
from assessment.services.users import find_by_email

from ..conftest import MFA_RECOVERY, MFA_SECRETS, PASSWORD, enrol_mfa
from ..http_client import WebClient
from ..load import simultaneously

ROUNDS = 5


@pytest.fixture
def mfa_officers(app, officers) -> list[str]:
    with app.app_context():
        session = get_session()
        for email in officers:
            enrol_mfa(session, find_by_email(session, email))
    return officers


def _race(server: str, email: str, code: str) -> list[int]:
    """Both clients pass the password step, then send ``code`` together; the HTTP statuses."""
    clients = [WebClient(server), WebClient(server)]
    for client in clients:
        assert client.password_step(email, PASSWORD).headers["Location"] == "/login/mfa"
        client.page("/login/mfa")
    responses = simultaneously(*(lambda c=c: c.post("/login/mfa", {"code": code}) for c in clients))
    for client in clients:
        client.close()
    return sorted(r.status_code for r in responses)


def test_a_totp_code_sent_twice_at_once_logs_in_once(server, mfa_officers):
    for email in mfa_officers[:ROUNDS]:
        # Enrolment used the current step's code: the next step's is accepted and unused.
        code = pyotp.TOTP(MFA_SECRETS[email]).at(time.time() + 30)
        assert _race(server, email, code) == [302, 422], email


def test_a_recovery_code_sent_twice_at_once_logs_in_once(app, server, mfa_officers):
    email = mfa_officers[0]
    for code in MFA_RECOVERY[email][:ROUNDS]:
        assert _race(server, email, code) == [302, 422], code
    with app.app_context():
        session = get_session()
        assert mfa.codes_left(session, find_by_email(session, email)) == 10 - ROUNDS
        used = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.mfa_recovery_code")
        ).all()
        assert sorted(e.details["left"] for e in used) == list(range(10 - ROUNDS, 10))
