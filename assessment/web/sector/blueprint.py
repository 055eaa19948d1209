"""The sector view's blueprint: for sector analysts (and administrators), never officers."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("sector", __name__)


@bp.before_request
@login_required
def _only_analysts():
    """Every sector route, present and future, is closed to officers: an officer sees where
    their own organisation stands on its results page, not the sector's pages."""
    if not (current_user.is_analyst or current_user.is_admin):
        abort(403)
