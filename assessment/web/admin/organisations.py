"""Organisations: list, create, edit, deactivate (with confirmation)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assessment.db import get_session
from assessment.i18n import LANGUAGES, format_locale
from assessment.models import Organisation
from assessment.services import organisations as org_service

from ..common import fragments
from ..common.pagination import paginate
from .blueprint import bp
from .confirm import Switch, toggle_active
from .forms import OrganisationForm


def _organisation_or_404(organisation_id: int):
    try:
        return org_service.get_organisation(get_session(), organisation_id)
    except org_service.NotFound:
        abort(404)


@bp.get("/")
def index():
    return redirect(url_for("admin.organisations"))


@bp.get("/organisations")
def organisations():
    """By name, a page at a time (an installation may hold thousands)."""
    db = get_session()
    pagination = paginate(org_service.count_organisations(db))
    return render_template(
        "admin/organisations.html",
        rows=org_service.page_of_organisations(db, pagination.offset, pagination.per_page),
        country_names=org_service.country_names_in(format_locale()),
        languages=LANGUAGES,
        pagination=pagination,
        row_html=fragments.row_drawer(_row_key),
    )


def _row_key(row: tuple[Organisation, int]) -> tuple:
    """Everything an organisation's row shows (its HTML is kept under it)."""
    org, users = row
    shown = (org.name, org.kind, org.country, org.language, org.active, org.share_with_sector)
    return ("organisation row", org.id, *shown, users)


def _organisation_data(form: OrganisationForm) -> org_service.OrganisationData:
    return org_service.OrganisationData(
        form.name.data.strip(),
        form.kind.data,
        form.country.data,
        bool(form.require_mfa.data),
        form.language.data or None,
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
            flash(_("Organisation '%(name)s' created.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def organisation_edit(organisation_id: int):
    org = _organisation_or_404(organisation_id)
    form = OrganisationForm(obj=org if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            org_service.update_organisation(
                get_session(), current_user, org, _organisation_data(form)
            )
        except org_service.OrganisationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Organisation '%(name)s' saved.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=org)


@bp.route("/organisations/<int:organisation_id>/active", methods=["GET", "POST"])
def organisation_active(organisation_id: int):
    """GET asks for confirmation; POST switches the organisation on or off."""
    org = _organisation_or_404(organisation_id)
    return toggle_active(
        org.active,
        lambda: org_service.set_organisation_active(
            get_session(), current_user, org, not org.active
        ),
        url_for("admin.organisation_active", organisation_id=org.id),
        url_for("admin.organisations"),
        deactivate=Switch(
            _("Deactivate %(name)s?", name=org.name),
            _(
                "Its officers will no longer be able to log in. Its assessments and answers "
                "are kept and come back when it is reactivated."
            ),
            _("Organisation '%(name)s' is now deactivated.", name=org.name),
        ),
        reactivate=Switch(
            _("Reactivate %(name)s?", name=org.name),
            _("Its active officers will be able to log in again."),
            _("Organisation '%(name)s' is now active.", name=org.name),
        ),
    )
