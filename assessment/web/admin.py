"""Administration: organisations and user accounts. Administrators only (403 for officers)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent, Organisation, User
from assessment.security import admin_required, bounded_int
from assessment.services import organisations as org_service
from assessment.services import users as user_service

from .forms import OrganisationForm, UserForm

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
@admin_required
def _only_admins():
    """Every admin route, present and future, is closed to officers."""


def _get_or_404(model, object_id: int):
    obj = get_session().get(model, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.get("/")
def index():
    return redirect(url_for("admin.organisations"))


# Organisations


@bp.get("/organisations")
def organisations():
    return render_template(
        "admin/organisations.html", rows=org_service.list_organisations(get_session())
    )


def _organisation_data(form: OrganisationForm) -> org_service.OrganisationData:
    return org_service.OrganisationData(
        form.name.data.strip(), form.kind.data, form.country.data, bool(form.require_mfa.data)
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
def organisation_new():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = org_service.create_organisation(
                get_session(), current_user, _organisation_data(form)
            )
        except org_service.OrganisationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Organisation '{org.name}' created.", "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def organisation_edit(organisation_id: int):
    org = _get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=org if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            org_service.update_organisation(
                get_session(), current_user, org, _organisation_data(form)
            )
        except org_service.OrganisationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Organisation '{org.name}' saved.", "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=org)


@bp.route("/organisations/<int:organisation_id>/active", methods=["GET", "POST"])
def organisation_active(organisation_id: int):
    """GET asks for confirmation; POST switches the organisation on or off."""
    org = _get_or_404(Organisation, organisation_id)
    return _toggle_active(
        org.active,
        f"Organisation '{org.name}'",
        org.name,
        lambda: org_service.set_organisation_active(
            get_session(), current_user, org, not org.active
        ),
        url_for("admin.organisation_active", organisation_id=org.id),
        url_for("admin.organisations"),
        off="Its officers will no longer be able to log in. Its assessments and answers are "
        "kept and come back when it is reactivated.",
        on="Its active officers will be able to log in again.",
    )


def _toggle_active(
    active: bool, label: str, name: str, change, action_url: str, back: str, *, off: str, on: str
):
    """The shared confirm-then-switch step for organisations and accounts."""
    if request.method == "POST":
        try:
            change()
        except user_service.UserError as exc:
            flash(str(exc), "error")
        else:
            flash(f"{label} is now {'deactivated' if active else 'active'}.", "success")
        return redirect(back)
    verb = "Deactivate" if active else "Reactivate"
    return render_template(
        "admin/confirm.html",
        action_url=action_url,
        title=f"{verb} {name}?",
        explanation=off if active else on,
        button=verb,
        danger=active,
        back=back,
    )


# Users


@bp.get("/users")
def users():
    db = get_session()
    query = select(User).order_by(User.email)
    org_filter = request.args.get("organisation", type=bounded_int)
    if org_filter:
        query = query.where(User.organisation_id == org_filter)
    organisations = db.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template(
        "admin/users.html",
        users=db.scalars(query).all(),
        organisations=organisations,
        org_filter=org_filter,
    )


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user if user and request.method == "GET" else None)
    form.set_organisations(
        get_session()
        .scalars(select(Organisation).where(Organisation.active).order_by(Organisation.name))
        .all()
    )
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
                flash(f"Account {user.email} created.", "success")
            else:
                flash(
                    f"Account {user.email} created. Its password, shown only now: {password}",
                    "secret",
                )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _get_or_404(User, user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            user_service.update_user(get_session(), current_user, user, _user_data(form))
            if form.password.data:
                user_service.set_password(
                    get_session(), current_user, user, form.password.data, **_password_options()
                )
        except user_service.UserError as exc:
            get_session().rollback()
            form[exc.field].errors.append(str(exc))
        else:
            flash(f"Account {user.email} saved.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
def user_active(user_id: int):
    user = _get_or_404(User, user_id)
    return _toggle_active(
        user.active,
        f"Account {user.email}",
        user.email,
        lambda: user_service.set_user_active(get_session(), current_user, user, not user.active),
        url_for("admin.user_active", user_id=user.id),
        url_for("admin.users"),
        off="They are logged out at once and can no longer log in. Their answers and "
        "history are kept.",
        on="They will be able to log in again.",
    )


AUDIT_PAGE = 200


def _audit_query():
    """Audit events filtered by ?action=, ?actor= and ?since=/?until= (YYYY-MM-DD)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    actor = request.args.get("actor", "").strip().lower()
    if actor:
        query = query.where(AuditEvent.actor_email.contains(actor, autoescape=True))
    for name, compare in (("since", AuditEvent.at.__ge__), ("until", AuditEvent.at.__lt__)):
        value = request.args.get(name, "").strip()
        if value:
            try:
                day = datetime.strptime(value, "%Y-%m-%d")
            except ValueError:
                flash(f"'{value}' is not a date (YYYY-MM-DD); ignored.", "error")
                continue
            query = query.where(compare(day + timedelta(days=1) if name == "until" else day))
    return query


@bp.route("/users/<int:user_id>/mfa-reset", methods=["GET", "POST"])
def user_mfa_reset(user_id: int):
    """A lost phone: clear the user's second factor; they set it up again at next login."""
    from assessment.services import mfa

    user = _get_or_404(User, user_id)
    if request.method == "POST":
        mfa.reset(get_session(), current_user, user)
        flash(
            f"Multi-factor authentication of {user.email} is reset; they are logged out "
            "and set it up again at their next login if it is required.",
            "success",
        )
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template(
        "admin/confirm.html",
        action_url=url_for("admin.user_mfa_reset", user_id=user.id),
        title=f"Reset multi-factor authentication of {user.email}?",
        explanation="Do this only when you have checked who is asking (for example in "
        "person or by calling them back): anyone holding their password could otherwise "
        "set up their own phone. They are logged out at once.",
        button="Reset",
        danger=True,
        back=url_for("admin.user_edit", user_id=user.id),
    )


@bp.get("/audit")
def audit_log():
    db = get_session()
    events = db.scalars(_audit_query().limit(AUDIT_PAGE)).all()
    actions = sorted(db.scalars(select(AuditEvent.action).distinct()).all())
    return render_template(
        "admin/audit.html", events=events, actions=actions, page_size=AUDIT_PAGE, args=request.args
    )


@bp.get("/audit.csv")
def audit_csv():
    from .exports import download, table_csv

    rows = [
        [
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_email,
            e.action,
            e.target,
            json.dumps(e.details, ensure_ascii=False, sort_keys=True),
        ]
        for e in get_session().scalars(_audit_query())
    ]
    return download(
        table_csv(["When (UTC)", "Who", "Action", "Target", "Details"], rows),
        f"audit-log-{datetime.now(UTC):%Y-%m-%d}.csv",
        "text/csv",
    )
