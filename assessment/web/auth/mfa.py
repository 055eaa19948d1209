"""Multi-factor authentication pages: the code after the password, enrolment, settings.

Wrong codes are limited per account and per address, wrong passwords (turning MFA off, new
recovery codes) share the login's budgets: ``web/common/throttle.py``. The secret being
enrolled stays on the server (``services.mfa.setup_secret``), never in the session cookie.

Recovery codes are stored only as hashes, so the page that shows new ones is the only moment
they exist in the clear: it carries them, printable, and as a text file inside the link itself
(a ``data:`` URL) rather than behind a second request the server could no longer answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from assessment.db import get_session
from assessment.services import mfa, users

from ..common import throttle
from . import sessions
from .blueprint import bp
from .forms import CodeForm, EnrolForm, PasswordConfirmForm


def _start_again():
    flash(_("Your login has expired or was ended; log in again."), "info")
    return redirect(url_for("auth.login"))


def _status() -> int:
    return 200 if request.method == "GET" else 422


RECOVERY_FILE_NAME = "port-assess-recovery-codes.txt"


def recovery_codes_text(email: str, made: str, installation: str | None, codes: list[str]) -> str:
    """The downloadable file: whose codes, when made, and how they are used, then one code a
    line. CRLF line ends: Notepad before Windows 10 (2018) shows a file without them as one
    line."""
    lines = [
        _("port-assess recovery codes"),
        _("Account: %(email)s", email=email),
        _("Made on: %(date)s", date=made),
    ]
    if installation:
        lines.append(_("Installation: %(name)s", name=installation))
    lines += [
        "",
        _(
            "Each code works once, to log in when you cannot use your authenticator app. "
            "New codes replace all of these."
        ),
        "",
        *codes,
        "",
    ]
    return "\r\n".join(lines)


def _recovery_codes_page(user, codes: list[str], *, first: bool):
    """The one response that shows new recovery codes, with their printable sheet and file."""
    made = datetime.now(UTC).strftime("%Y-%m-%d")
    installation = current_app.config.get("INSTALLATION_NAME") or None
    text = recovery_codes_text(user.email, made, installation, codes)
    return render_template(
        "auth/recovery_codes.html",
        codes=codes,
        first=first,
        email=user.email,
        made=made,
        installation=installation,
        file_name=RECOVERY_FILE_NAME,
        # Percent-encoded: nothing in the link can end the attribute or change its scheme.
        file_href="data:text/plain;charset=utf-8," + quote(text, safe=""),
    )


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
            _("That code is not right, or was already used. Try the code your app shows now.")
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
        return _recovery_codes_page(user, codes, first=True)

    return _enrolment(user, on_done=done, budgets=throttle.code_budgets(user.id))


@bp.route("/account/mfa", methods=["GET", "POST"])
@login_required
def mfa_account():
    user = current_user._get_current_object()
    if not user.has_mfa:
        return _enrolment(
            user,
            on_done=lambda codes: _recovery_codes_page(user, codes, first=False),
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
        flash(_("Multi-factor authentication is not on for your account."), "info")
        return redirect(url_for("auth.mfa_account"), 303)
    form = PasswordConfirmForm()
    required = sessions.mfa_required(user)
    if form.validate_on_submit():
        budgets = throttle.password_budgets(user.email)
        throttle.take(*budgets)
        if users.check_password(user, form.password.data):
            throttle.give_back(*budgets)
            return _change(user, action, required)
        form.password.errors.append(_("This is not your password."))
    return render_template(
        "auth/mfa_account.html",
        form=form,
        required=required,
        codes_left=mfa.codes_left(get_session(), user),
    ), 422


def _change(user, action: str, required: bool):
    if action == "recovery":
        codes = mfa.regenerate_recovery_codes(get_session(), user)
        return _recovery_codes_page(user, codes, first=False)
    try:
        mfa.disable(get_session(), user, user, required=required)
    except mfa.MfaError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Multi-factor authentication is off for your account."), "success")
    return redirect(url_for("auth.mfa_account"))
