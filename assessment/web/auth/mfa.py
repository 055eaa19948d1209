"""Multi-factor authentication pages: the code after the password, enrolment, settings."""

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
from flask_login import current_user, login_required

from assessment.db import get_session
from assessment.extensions import limiter
from assessment.services import mfa, users

from . import sessions
from .blueprint import bp
from .forms import CodeForm, EnrolForm, PasswordConfirmForm

SETUP_KEY = "mfa_setup_secret"


def _pending_key() -> str:
    pending = session.get(sessions.PENDING) or {}
    return "mfa:" + str(pending.get("user", "none")).split(":")[0]


def _failed(response) -> bool:
    return response.status_code != 302 and request.method == "POST"


def _limit() -> str:
    return current_app.config["MFA_LIMIT"]


def _start_again():
    flash("Your login has expired or was ended; log in again.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/login/mfa", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_pending_key, deduct_when=_failed)
@limiter.limit(_limit, methods=["POST"], deduct_when=_failed)
def mfa_code():
    """The second step of a login for users who have MFA."""
    user = sessions.pending_user()
    if user is None or not user.has_mfa:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        if mfa.verify(get_session(), user, form.code.data):
            return sessions.complete(user)
        form.code.errors.append(
            "That code is not right, or was already used. Try the code your app shows now."
        )
        current_app.logger.info(
            "wrong second factor for user %s from %s", user.id, request.remote_addr
        )
    return render_template("auth/mfa_code.html", form=form), 200 if request.method == "GET" else 422


def _enrolment(user, *, on_done):
    """Show the QR code and take a first code; shared by first login and account settings."""
    secret = session.get(SETUP_KEY) or mfa.new_secret()
    session[SETUP_KEY] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = mfa.enable(get_session(), user, secret, form.code.data)
        except mfa.MfaError as exc:
            form.code.errors.append(str(exc))
        else:
            session.pop(SETUP_KEY, None)
            return on_done(codes)
    return render_template(
        "auth/mfa_setup.html",
        form=form,
        secret=secret,
        qr=mfa.qr_svg(mfa.provisioning_uri(user, secret)),
        required=sessions.mfa_required(user),
        user=user,
    ), 200 if request.method == "GET" else 422


@bp.route("/login/mfa/setup", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_pending_key, deduct_when=_failed)
def mfa_setup():
    """Enrolment required before the login completes (administrators, some organisations)."""
    user = sessions.pending_user()
    if user is None or user.has_mfa:
        return _start_again()

    def done(codes):
        sessions.complete(user)
        return render_template("auth/recovery_codes.html", codes=codes, first=True)

    return _enrolment(user, on_done=done)


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
@limiter.limit(_limit, deduct_when=lambda response: response.status_code == 422)
def mfa_change(action: str):
    """Switching MFA off or getting new recovery codes needs the password again."""
    user = current_user._get_current_object()
    form = PasswordConfirmForm()
    required = sessions.mfa_required(user)
    if form.validate_on_submit() and users.check_password(user, form.password.data):
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
    form.password.errors.append("This is not your password.")
    return render_template(
        "auth/mfa_account.html",
        form=form,
        required=required,
        codes_left=mfa.codes_left(get_session(), user),
    ), 422
