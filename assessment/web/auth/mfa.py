"""Multi-factor authentication pages: the code after the password, enrolment, settings.

Wrong codes are limited per account and per address, wrong passwords (turning MFA off, new
recovery codes) share the login's budgets: ``web/common/throttle.py``. The secret being
enrolled stays on the server (``services.mfa.setup_secret``), never in the session cookie.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from assessment.db import get_session
from assessment.services import mfa, users

from ..common import throttle
from . import sessions
from .blueprint import bp
from .forms import CodeForm, EnrolForm, PasswordConfirmForm


def _start_again():
    flash("Your login has expired or was ended; log in again.", "info")
    return redirect(url_for("auth.login"))


def _status() -> int:
    return 200 if request.method == "GET" else 422


@bp.route("/login/mfa", methods=["GET", "POST"])
def mfa_code():
    """The second step of a login for users who have MFA."""
    user = sessions.pending_user()
    if user is None or not user.has_mfa:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        budgets = throttle.code_budgets(user.id)
        throttle.take(*budgets)
        if mfa.verify(get_session(), user, form.code.data):
            throttle.give_back(*budgets)
            return sessions.complete(user)
        form.code.errors.append(
            "That code is not right, or was already used. Try the code your app shows now."
        )
        current_app.logger.info(
            "wrong second factor for user %s from %s", user.id, request.remote_addr
        )
    return render_template("auth/mfa_code.html", form=form), _status()


def _enrolment(user, *, on_done, budgets: tuple[throttle.Budget, ...] = ()):
    """Show the QR code and take a first code; shared by first login and account settings.
    Opening the page stores the secret to enrol with (once: reloading shows the same)."""
    secret = mfa.setup_secret(get_session(), user)
    form = EnrolForm()
    if form.validate_on_submit():
        throttle.take(*budgets)
        try:
            codes = mfa.enable(get_session(), user, secret, form.code.data)
        except mfa.MfaError as exc:
            form.code.errors.append(str(exc))
        else:
            throttle.give_back(*budgets)
            return on_done(codes)
    return render_template(
        "auth/mfa_setup.html",
        form=form,
        secret=secret,
        qr=mfa.qr_svg(mfa.provisioning_uri(user, secret)),
        required=sessions.mfa_required(user),
        user=user,
    ), _status()


@bp.route("/login/mfa/setup", methods=["GET", "POST"])
def mfa_setup():
    """Enrolment required before the login completes (administrators, some organisations)."""
    user = sessions.pending_user()
    if user is None or user.has_mfa:
        return _start_again()

    def done(codes):
        sessions.complete(user)
        return render_template("auth/recovery_codes.html", codes=codes, first=True)

    return _enrolment(user, on_done=done, budgets=throttle.code_budgets(user.id))


@bp.route("/account/mfa", methods=["GET", "POST"])
@login_required
def mfa_account():
    user = current_user._get_current_object()
    if not user.has_mfa:
        return _enrolment(
            user,
            on_done=lambda codes: render_template(
                "auth/recovery_codes.html", codes=codes, first=False
            ),
        )
    form = PasswordConfirmForm()
    return render_template(
        "auth/mfa_account.html",
        form=form,
        required=sessions.mfa_required(user),
        codes_left=mfa.codes_left(get_session(), user),
    )


@bp.post("/account/mfa/<any(disable, recovery):action>")
@login_required
def mfa_change(action: str):
    """Switching MFA off or getting new recovery codes needs the password again; every wrong
    password counts against the account's password budget, as at login."""
    user = current_user._get_current_object()
    if not user.has_mfa:  # nothing to switch off or renew; the password is not even checked
        flash("Multi-factor authentication is not on for your account.", "info")
        return redirect(url_for("auth.mfa_account"), 303)
    form = PasswordConfirmForm()
    required = sessions.mfa_required(user)
    if form.validate_on_submit():
        budgets = throttle.password_budgets(user.email)
        throttle.take(*budgets)
        if users.check_password(user, form.password.data):
            throttle.give_back(*budgets)
            return _change(user, action, required)
        form.password.errors.append("This is not your password.")
    return render_template(
        "auth/mfa_account.html",
        form=form,
        required=required,
        codes_left=mfa.codes_left(get_session(), user),
    ), 422


def _change(user, action: str, required: bool):
    if action == "recovery":
        return render_template(
            "auth/recovery_codes.html",
            first=False,
            codes=mfa.regenerate_recovery_codes(get_session(), user),
        )
    try:
        mfa.disable(get_session(), user, user, required=required)
    except mfa.MfaError as exc:
        flash(str(exc), "error")
    else:
        flash("Multi-factor authentication is off for your account.", "success")
    return redirect(url_for("auth.mfa_account"))
