"""Login, logout and password change.

Sessions are Flask's signed cookies holding ``user id:nonce``; rotating the nonce (logout,
password change, deactivation) ends every session of that user, which a signed cookie cannot do
by itself. Wrong passwords, here and wherever the password is asked again, are limited per
account and per address (``web/common/throttle.py``).
"""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from assessment.db import get_session
from assessment.services import users

from ..common import throttle
from . import sessions
from .blueprint import bp
from .forms import LoginForm, PasswordChangeForm
from .language import language_form


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel's default ``N_`` keyword) where it must stay a
    plain string: tests compare pages against it; it is translated where it is shown."""
    return message


LOGIN_FAILED = N_("The e-mail or password is not right, or the account is not active.")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        budgets = throttle.password_budgets(form.email.data)
        throttle.take(*budgets)
        user = users.authenticate(
            get_session(),
            form.email.data,
            form.password.data,
            fast_hash=current_app.config.get("FAST_PASSWORD_HASH", False),
        )
        if user is not None:
            throttle.give_back(*budgets)
            return sessions.begin(user, request.args.get("next"))
        current_app.logger.info(
            "failed login for %r from %s", form.email.data[:254], request.remote_addr
        )
        flash(_(LOGIN_FAILED), "error")
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    users.end_sessions(get_session(), current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """One's own password. A user whose password an administrator set lands here after
    logging in and cannot leave before choosing their own (``forced_change``)."""
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    forced = user.must_change_password
    if form.validate_on_submit():
        db = get_session()
        budgets = throttle.password_budgets(user.email)
        throttle.take(*budgets)
        if not users.check_password(user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            throttle.give_back(*budgets)
            try:
                users.set_password(
                    db,
                    user,
                    user,
                    form.new_password.data,
                    fast_hash=current_app.config.get("FAST_PASSWORD_HASH", False),
                    min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                )
            except users.UserError as exc:
                form.new_password.errors.append(str(exc))
            else:
                sessions.start(user)  # this session carries the new nonce; all others end
                flash(
                    _("Your password is changed. Other sessions have been logged out."),
                    "success",
                )
                return redirect(url_for("home.dashboard"))
    return render_template(
        "auth/password.html", form=form, forced=forced, language_form=language_form()
    )
