"""The blueprint of the officer's assessments; every route needs a logged-in user."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from ..common.security import no_analysts

bp = Blueprint("assessments", __name__)


@bp.before_request
@login_required
@no_analysts
def _logged_in():
    """Every route here needs a logged-in user, and is closed to sector analysts."""
