"""Starting a session: after the password, either log in or wait for the second factor.

While the second factor is pending nobody is logged in: the session holds only the user's
id and session nonce (so a logout elsewhere or a deactivation still ends it), where to go
next, and when the password step happened; it expires after PENDING_SECONDS.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app, redirect, request, session, url_for
from flask_login import login_user

from assessment.db import get_session
from assessment.models import User
from assessment.services import mfa, users
from assessment.web.common.security import is_safe_next

PENDING = "mfa_pending"
BROWSER = "browser"
PENDING_SECONDS = 600


def load_user(user_key: str) -> User | None:
    """Flask-Login's loader: the cookie's nonce must still be the user's current one."""
    user_id, _, nonce = user_key.partition(":")
    if not user_id.isdigit() or not nonce:
        return None
    if not hmac.compare_digest(session.get(BROWSER, ""), browser_fingerprint()):
        return None  # a cookie copied into another browser
    user = users.session_user(get_session(), int(user_id))
    if user is None or not hmac.compare_digest(user.session_nonce, nonce):
        return None
    return user if user.is_active else None


def mfa_required(user: User) -> bool:
    """Whether this user must use a second factor, under this app's settings."""
    return mfa.is_required(user, admins_must=current_app.config["MFA_REQUIRED_FOR_ADMINS"])


def _target(target: str | None) -> str:
    return target if is_safe_next(target) else url_for("home.dashboard")


def browser_fingerprint() -> str:
    """A session belongs to the browser that logged in: a copied cookie sent by another
    browser is refused. (The address is not used: it changes behind proxies and on phones.)"""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha256(agent.encode("utf-8", "replace")).hexdigest()[:32]


def _fresh_session() -> None:
    """Nothing planted before login survives; the session belongs to this browser."""
    session.clear()
    session[BROWSER] = browser_fingerprint()


def start(user: User) -> None:
    """Log the user in on a fresh session carrying their current nonce."""
    _fresh_session()
    login_user(user)
    session.permanent = True


def begin(user: User, target: str | None):
    """After a correct password: log in, or ask for the code, or for enrolment first."""
    _fresh_session()
    required = mfa_required(user)
    if user.has_mfa or required:
        session[PENDING] = {
            "user": user.get_id(),
            "next": _target(target),
            "since": int(time.time()),
        }
        return redirect(url_for("auth.mfa_code" if user.has_mfa else "auth.mfa_setup"))
    return complete(user, target)


def complete(user: User, target: str | None = None):
    """Log in: a new session carrying the user's current nonce. A user whose password an
    administrator set goes to the password page first (``forced_change``)."""
    pending = session.get(PENDING) or {}
    start(user)
    if user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(_target(target or pending.get("next")))


def pending_user() -> User | None:
    """The user whose second factor is awaited, if the wait is recent and still valid."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), str):
        return None
    if time.time() - pending.get("since", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return load_user(pending["user"])
