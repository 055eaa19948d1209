"""The editor's blueprint, closed to everyone but administrators."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from assessment.web.common.security import admin_required

bp = Blueprint("question_sets", __name__)


@bp.before_request
@login_required
@admin_required
def _only_admins():
    """Every editor route, present and future, is closed to officers."""
