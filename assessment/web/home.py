"""The landing page after login: what each role works on."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
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
    if current_user.is_analyst:
        return redirect(url_for("sector.index"))
    if not current_user.is_admin:
        return redirect(url_for("assessments.index"))
    return render_template("home.html")


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 while the database and the report queue answer,
    503 otherwise (with the app's own headers). No login, no data: which part is down, no why
    (services/health.py logs the cause)."""
    parts = health.check(get_session(), lambda: current_app.extensions["jobs"].huey)
    ok = all(parts.values())
    body = {"status": "ok" if ok else "unavailable"}
    body.update({name: "ok" if up else "unreachable" for name, up in parts.items()})
    return jsonify(body), 200 if ok else 503
