"""User accounts: list, create, edit, deactivate, reset a lost second factor.

A password set here, chosen or generated, is the administrator's: the user must replace it
at their next login (``services.users``; ``web/auth/forced_change.py``).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assessment.db import get_session
from assessment.models import User
from assessment.services import mfa
from assessment.services import organisations as org_service
from assessment.services import users as user_service
from assessment.web.common import fragments
from assessment.web.common.pagination import paginate
from assessment.web.common.security import bounded_int

from .blueprint import bp
from .confirm import Switch, toggle_active
from .forms import UserForm


def _user_or_404(user_id: int):
    try:
        return user_service.get_user(get_session(), user_id)
    except user_service.NotFound:
        abort(404)


@bp.get("/users")
def users():
    db = get_session()
    org_filter = request.args.get("organisation", type=bounded_int)
    # One organisation's accounts are reached from its count on the organisations page: a
    # drop-down of every organisation would grow the page with the installation (77 KB at
    # 1,000 organisations), so only the filtered one is loaded.
    organisation = None
    if org_filter:
        try:
            organisation = org_service.get_organisation(db, org_filter)
        except org_service.NotFound:
            abort(404)
    pagination = paginate(user_service.count_users(db, org_filter))  # links keep ?organisation=
    return render_template(
        "admin/users.html",
        users=user_service.page_of_users(db, org_filter, pagination.offset, pagination.per_page),
        organisation=organisation,
        org_filter=org_filter,
        pagination=pagination,
        row_html=fragments.row_drawer(_row_key),
    )


def _row_key(user: User) -> tuple:
    """Everything a user's row shows (its HTML is kept under it); an administrator's own row
    has no Deactivate link."""
    organisation = user.organisation.name if user.organisation else None
    shown = (user.display_name, user.email, user.role, organisation, user.last_login_at)
    return ("user row", user.id, *shown, user.active, user.id == current_user.id)


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user if user and request.method == "GET" else None)
    form.set_organisations(org_service.by_name(get_session(), active_only=True))
    if user and request.method == "GET":
        form.organisation_id.data = user.organisation_id or 0
    return form


def _user_data(form: UserForm) -> user_service.UserData:
    return user_service.UserData(
        form.email.data, form.display_name.data, form.role.data, form.organisation_id.data or None
    )


def _password_options() -> dict:
    return {
        "fast_hash": current_app.config.get("FAST_PASSWORD_HASH", False),
        "min_length": current_app.config["PASSWORD_MIN_LENGTH"],
    }


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = _user_form()
    if request.method == "GET" and request.args.get("organisation", type=bounded_int):
        form.organisation_id.data = request.args.get("organisation", type=bounded_int)
    if form.validate_on_submit():
        password = form.password.data or user_service.generate_password()
        try:
            user = user_service.create_user(
                get_session(), current_user, _user_data(form), password, **_password_options()
            )
        except user_service.UserError as exc:
            form[exc.field].errors.append(str(exc))
        else:
            if form.password.data:
                flash(
                    _(
                        "Account %(email)s created. They choose their own password at their "
                        "first login.",
                        email=user.email,
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "Account %(email)s created. Its password, shown only now: %(password)s "
                        "(they replace it with their own at their first login).",
                        email=user.email,
                        password=password,
                    ),
                    "secret",
                )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _user_or_404(user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            user_service.update_user(
                get_session(),
                current_user,
                user,
                _user_data(form),
                password=form.password.data or None,
                **_password_options(),
            )
        except user_service.UserError as exc:
            form[exc.field].errors.append(str(exc))
        else:
            if form.password.data and user.id != current_user.id:
                message = _(
                    "Account %(email)s saved. They are logged out and choose their own "
                    "password at their next login.",
                    email=user.email,
                )
            else:
                message = _("Account %(email)s saved.", email=user.email)
            flash(message, "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
def user_active(user_id: int):
    user = _user_or_404(user_id)
    return toggle_active(
        user.active,
        lambda: user_service.set_user_active(get_session(), current_user, user, not user.active),
        url_for("admin.user_active", user_id=user.id),
        url_for("admin.users"),
        deactivate=Switch(
            _("Deactivate %(email)s?", email=user.email),
            _(
                "They are logged out at once and can no longer log in. Their answers and "
                "history are kept."
            ),
            _("Account %(email)s is now deactivated.", email=user.email),
        ),
        reactivate=Switch(
            _("Reactivate %(email)s?", email=user.email),
            _("They will be able to log in again."),
            _("Account %(email)s is now active.", email=user.email),
        ),
    )


@bp.route("/users/<int:user_id>/mfa-reset", methods=["GET", "POST"])
def user_mfa_reset(user_id: int):
    """A lost phone: clear the user's second factor; they set it up again at next login."""
    user = _user_or_404(user_id)
    if request.method == "POST":
        mfa.reset(get_session(), current_user, user)
        flash(
            _(
                "Multi-factor authentication of %(email)s is reset; they are logged out and "
                "set it up again at their next login if it is required.",
                email=user.email,
            ),
            "success",
        )
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template(
        "admin/confirm.html",
        action_url=url_for("admin.user_mfa_reset", user_id=user.id),
        title=_("Reset multi-factor authentication of %(email)s?", email=user.email),
        explanation=_(
            "Do this only when you have checked who is asking (for example in person or by "
            "calling them back): anyone holding their password could otherwise set up their "
            "own phone. They are logged out at once."
        ),
        button=_("Reset"),
        danger=True,
        back=url_for("admin.user_edit", user_id=user.id),
    )
