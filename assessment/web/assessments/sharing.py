"""``/assessments/sharing``: an officer's switch for their own organisation's sharing with the
sector view (``web/sector/sharing.py`` does the work; administrators use ``/admin``'s)."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from ..sector.sharing import sharing_page
from .blueprint import bp


@bp.route("/sharing", methods=["GET", "POST"])
def sharing():
    organisation = current_user.organisation
    if organisation is None:
        abort(404)  # administrators: an organisation's switch is under /admin/organisations
    return sharing_page(organisation, url_for("assessments.sharing"), url_for("assessments.index"))
