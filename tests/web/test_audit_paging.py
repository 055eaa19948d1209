"""The audit log is read a page of 50 at a time, going back by id, without counting the log.

The log grows fastest of all tables: a numbered page would need ``count(*)`` of the filtered
log on every view, and a page of 200 rows (as it once was) cost more to render than the query
did to read. The links keep the filter; every event is on exactly one page.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from assessment.db import get_session
from assessment.services import audit
from assessment.services.users import find_by_email
from assessment.web.admin.audit import AUDIT_PAGE

SHOWN = re.compile(r"<td>paging (\d+)</td>")
OLDER = re.compile(r'<a href="([^"]+)" rel="next">Older events →</a>')
NEWEST = re.compile(r'<a href="([^"]+)">← Newest events</a>')


@pytest.fixture
def admin(client, people):
    client.login(people.admin)
    return client


def add_events(app, people, count: int, action: str = "organisation.update") -> None:
    with app.app_context():
        session = get_session()
        actor = find_by_email(session, people.admin)
        for n in range(count):
            audit.record(session, actor, action, f"paging {n:03d}")
        session.commit()


def shown(html: str) -> list[int]:
    return [int(n) for n in SHOWN.findall(html)]


def test_older_pages_hold_every_event_once_newest_first(app, admin, people):
    add_events(app, people, AUDIT_PAGE + 7)
    first = admin.get("/admin/audit?action=organisation.update").get_data(as_text=True)
    assert shown(first) == list(range(AUDIT_PAGE + 6, 6, -1))
    assert not NEWEST.search(first)
    older = OLDER.search(first).group(1).replace("&amp;", "&")
    assert "action=organisation.update" in older  # the filter is kept
    second = admin.get(older).get_data(as_text=True)
    assert shown(second) == [6, 5, 4, 3, 2, 1, 0]
    assert not OLDER.search(second)  # nothing older: no link to an empty page
    newest = NEWEST.search(second).group(1).replace("&amp;", "&")
    assert "before=" not in newest
    assert "action=organisation.update" in newest
    assert shown(admin.get(newest).get_data(as_text=True)) == shown(first)


def test_a_page_of_the_log_never_counts_the_log(app, admin, people):
    add_events(app, people, AUDIT_PAGE + 1)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        html = admin.get("/admin/audit").get_data(as_text=True)
        older = admin.get(OLDER.search(html).group(1).replace("&amp;", "&"))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert older.status_code == 200
    on_the_log = [s for s in statements if "from audit_event" in s]
    assert len(on_the_log) == 2  # one per page
    assert all("count(" not in s and "distinct" not in s for s in on_the_log)
    assert all("limit" in s for s in on_the_log)


def test_the_csv_has_every_matching_event_whatever_page_it_came_from(app, admin, people):
    add_events(app, people, AUDIT_PAGE + 3)
    html = admin.get("/admin/audit?action=organisation.update").get_data(as_text=True)
    older = OLDER.search(html).group(1).replace("&amp;", "&")
    csv_url = older.replace("/admin/audit?", "/admin/audit.csv?")
    rows = admin.get(csv_url).get_data(as_text=True).strip().splitlines()
    assert len([r for r in rows if ",paging " in r]) == AUDIT_PAGE + 3


def test_a_before_that_is_not_an_id_is_ignored(admin):
    for value in ("x", "99999999999999999999", "-"):
        response = admin.get(f"/admin/audit?before={value}")
        assert response.status_code == 200
        assert "organisation.create" in response.get_data(as_text=True)
