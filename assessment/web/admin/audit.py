"""The audit log: filter, page, download as CSV.

Pages go back in time by id (``?before=`` the last id shown), not by number: a numbered page
needs the count of matching events, a read of the whole filtered log on every view, and the
log is the table that grows fastest. The CSV has every matching event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _

from assessment.db import get_session
from assessment.report.exports import table_csv
from assessment.services import audit, audit_view

from ..common.downloads import download
from ..common.security import bounded_int
from .blueprint import bp

AUDIT_PAGE = 50  # as the other administration lists (web/common/pagination.py)


def _audit_filter() -> audit.AuditFilter:
    """?action=, ?actor= and ?since=/?until= (YYYY-MM-DD, both days included)."""
    days = {}
    for name in ("since", "until"):
        value = request.args.get(name, "").strip()
        if value:
            try:
                days[name] = datetime.strptime(value, "%Y-%m-%d")
            except ValueError:
                flash(_("'%(value)s' is not a date (YYYY-MM-DD); ignored.", value=value), "error")
    return audit.AuditFilter(
        action=request.args.get("action", "").strip(),
        actor=request.args.get("actor", "").strip(),
        **days,
    )


def _page_url(**changes) -> str:
    """This page's URL with its filter kept and ``changes`` made (None removes an argument)."""
    args = request.args.to_dict() | changes
    return url_for("admin.audit_log", **{k: v for k, v in args.items() if v is not None})


@bp.get("/audit")
def audit_log():
    db = get_session()
    before = request.args.get("before", type=bounded_int)
    # One more than a page: whether there is an older page, without counting.
    found = audit.search(db, replace(_audit_filter(), before=before), limit=AUDIT_PAGE + 1)
    events = found[:AUDIT_PAGE]
    return render_template(
        "admin/audit.html",
        events=audit_view.readable(db, events),
        older_url=_page_url(before=events[-1].id) if len(found) > AUDIT_PAGE else None,
        newest_url=_page_url(before=None) if before is not None else None,
        # The fixed list, not the actions found in the log: that would read the whole log.
        action_groups=audit.ACTION_GROUPS,
        action_labels=audit.ACTIONS,  # each event's action in words, with its code beside
        args=request.args,
    )


@bp.get("/audit.csv")
def audit_csv():
    db = get_session()
    rows = [
        [
            line.event.at.strftime("%Y-%m-%d %H:%M:%S"),
            line.actor,
            line.event.action,
            line.target,
            line.details_text,
        ]
        for line in audit_view.readable(db, audit.search(db, _audit_filter()))
    ]
    return download(
        table_csv([_("When (UTC)"), _("Who"), _("Action"), _("Target"), _("Details")], rows),
        f"audit-log-{datetime.now(UTC):%Y-%m-%d}.csv",
        "text/csv",
    )
