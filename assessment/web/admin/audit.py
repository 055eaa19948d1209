"""The audit log: filter, page, download as CSV."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, render_template, request

from assessment.db import get_session
from assessment.report.exports import table_csv
from assessment.services import audit, audit_view

from ..common.downloads import download
from .blueprint import bp

AUDIT_PAGE = 200


def _audit_filter() -> audit.AuditFilter:
    """?action=, ?actor= and ?since=/?until= (YYYY-MM-DD, both days included)."""
    days = {}
    for name in ("since", "until"):
        value = request.args.get(name, "").strip()
        if value:
            try:
                days[name] = datetime.strptime(value, "%Y-%m-%d")
            except ValueError:
                flash(f"'{value}' is not a date (YYYY-MM-DD); ignored.", "error")
    return audit.AuditFilter(
        action=request.args.get("action", "").strip(),
        actor=request.args.get("actor", "").strip(),
        **days,
    )


@bp.get("/audit")
def audit_log():
    db = get_session()
    return render_template(
        "admin/audit.html",
        events=audit_view.readable(db, audit.search(db, _audit_filter(), limit=AUDIT_PAGE)),
        actions=audit.actions(db),
        page_size=AUDIT_PAGE,
        args=request.args,
    )


@bp.get("/audit.csv")
def audit_csv():
    db = get_session()
    rows = [
        [
            line.event.at.strftime("%Y-%m-%d %H:%M:%S"),
            line.event.actor_email,
            line.event.action,
            line.target,
            line.details_text,
        ]
        for line in audit_view.readable(db, audit.search(db, _audit_filter()))
    ]
    return download(
        table_csv(["When (UTC)", "Who", "Action", "Target", "Details"], rows),
        f"audit-log-{datetime.now(UTC):%Y-%m-%d}.csv",
        "text/csv",
    )
