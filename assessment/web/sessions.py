"""Starting a session: after the password, either log in or wait for the second factor.

While the second factor is pending nobody is logged in: the session holds only the user's
id and session nonce (so a logout elsewhere or a deactivation still ends it), where to go
next, and when the password step happened; it expires after PENDING_SECONDS.
"""

from __future__ import annotations

import time

from flask import current_app, redirect, session, url_for
from flask_login import login_user

from assessment.models import User
from assessment.security import is_safe_next
from assessment.services import mfa

PENDING = "mfa_pending"
PENDING_SECONDS = 600


def _target(target: str | None) -> str:
    return target if is_safe_next(target) else url_for("home.dashboard")


def begin(user: User, target: str | None):
    """After a correct password: log in, or ask for the code, or for enrolment first."""
    session.clear()  # a fresh session: nothing planted before login survives
    required = mfa.is_required(user, admins_must=current_app.config["MFA_REQUIRED_FOR_ADMINS"])
    if user.has_mfa or required:
        session[PENDING] = {
            "user": user.get_id(),
            "next": _target(target),
            "since": int(time.time()),
        }
        return redirect(url_for("mfa.code" if user.has_mfa else "mfa.setup"))
    return complete(user, target)


def complete(user: User, target: str | None = None):
    """Log in: a new session carrying the user's current nonce."""
    pending = session.get(PENDING) or {}
    session.clear()
    login_user(user)
    session.permanent = True
    return redirect(_target(target or pending.get("next")))


def pending_user() -> User | None:
    """The user whose second factor is awaited, if the wait is recent and still valid."""
    from .auth import load_user

    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), str):
        return None
    if time.time() - pending.get("since", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return load_user(pending["user"])
