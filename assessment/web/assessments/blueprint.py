"""The blueprint of the officer's assessments; every route needs a logged-in user."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("assessments", __name__)


@bp.before_request
@login_required
def _logged_in():
    """Every route here needs a logged-in user."""
