"""The landing page after login: what each role works on."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from assessment.db import get_session
from assessment.services import health

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("home.dashboard"))


@bp.get("/home")
@login_required
def dashboard():
    if not current_user.is_admin:
        return redirect(url_for("assessments.index"))
    return render_template("home.html")


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 while the database answers. No login, no data."""
    health.database_answers(get_session())
    return jsonify(status="ok")
