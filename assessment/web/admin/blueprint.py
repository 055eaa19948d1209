"""The blueprint of administration, closed to everyone but administrators."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from ..common.security import admin_required

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
@admin_required
def _only_admins():
    """Every admin route, present and future, is closed to officers."""
