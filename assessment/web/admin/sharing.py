"""An organisation's sharing with the sector view, as an administrator switches it."""

from __future__ import annotations

from flask import abort, url_for

from assessment.db import get_session
from assessment.services import organisations as org_service

from ..sector.sharing import sharing_page
from .blueprint import bp


@bp.route("/organisations/<int:organisation_id>/sharing", methods=["GET", "POST"])
def organisation_sharing(organisation_id: int):
    try:
        organisation = org_service.get_organisation(get_session(), organisation_id)
    except org_service.NotFound:
        abort(404)
    return sharing_page(
        organisation,
        url_for("admin.organisation_sharing", organisation_id=organisation_id),
        url_for("admin.organisations"),
    )
