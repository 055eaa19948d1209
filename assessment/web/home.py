"""The landing page after login: what each role works on."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from assessment.db import get_session

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
    get_session().execute(text("SELECT 1"))
    return jsonify(status="ok")
