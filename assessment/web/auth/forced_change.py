"""A password an administrator set is replaced before anything else.

While ``User.must_change_password`` is set, every request of the logged-in user, pages, form
posts, JSON and downloads alike, is answered with a redirect to the password page: the
administrator who chose the password must not be able to use the account with it, and the
holder must not get used to it. Only what choosing a new password needs stays open: the
password page itself, logging out, the second-factor pages and the static files (and the
health probe, which shows no account's data).
"""

from __future__ import annotations

from flask import redirect, request, session, url_for
from flask_login import current_user

from .blueprint import bp

OPEN_ENDPOINTS = frozenset(
    {
        "static",
        "auth.change_password",
        "auth.change_language",  # on the password page: read it in one's own language first
        "auth.logout",
        "auth.mfa_code",
        "auth.mfa_setup",
        "auth.mfa_account",
        "auth.mfa_change",
        "home.healthz",
    }
)


def must_change_password() -> bool:
    """Whether the logged-in user still has to replace an administrator's password."""
    return bool(current_user.is_authenticated and current_user.must_change_password)


@bp.before_app_request
def _password_first():
    # Without Flask-Login's key nobody is logged in: no need to load a user (or reach the
    # database) for anonymous requests.
    if request.endpoint in OPEN_ENDPOINTS or "_user_id" not in session:
        return None
    if must_change_password():
        # 303: whatever the method, the browser fetches the password page with a GET and the
        # request it made is not carried out.
        return redirect(url_for("auth.change_password"), 303)
    return None
