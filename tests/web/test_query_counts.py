"""List pages run a fixed number of queries, however many rows they show (no query per row)."""

from __future__ import annotations

import contextlib
import threading

import pytest
from sqlalchemy import event

from assessment.db import get_session
from assessment.services import assessments, audit, organisations, users
from assessment.services.users import find_by_email

from ..conftest import PASSWORD


@contextlib.contextmanager
def counting(app):
    """Count the SQL statements the app's engine runs inside the block, in this thread only:
    a report worker of the same app may be sweeping its queue in another thread meanwhile."""
    statements: list[str] = []
    mine = threading.get_ident()

    def count(_conn, _cursor, statement, *_args):
        if threading.get_ident() == mine:
            statements.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_rows(app, people, scoring_set, n: int) -> None:
    """n more users, organisations, assessments and audit events."""
    with app.app_context():
        session = get_session()
        officer = find_by_email(session, people.officer_a)
        for i in range(n):
            org = organisations.create_organisation(
                session, None, organisations.OrganisationData(f"Extra {i} {n}", "terminal", "NL")
            )
            users.create_user(
                session,
                None,
                users.UserData(f"extra{i}-{n}@example.org", f"Extra {i}", "officer", org.id),
                PASSWORD,
                fast_hash=True,
            )
            assessments.start_assessment(session, officer, f"Extra {i}", "", scoring_set)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("admin", "/admin/users"),
        ("admin", "/admin/organisations"),
        ("admin", "/admin/audit"),
        ("admin", "/assessments/"),
        ("officer_a", "/assessments/"),
    ],
)
def test_a_list_page_runs_the_same_queries_for_3_or_15_rows(
    app, client, people, scoring_set, who, path
):
    client.login(getattr(people, who))
    counts = []
    for n in (3, 12):
        _add_rows(app, people, scoring_set, n)
        client.get(path)  # the first view of new rows may store their standing once
        with counting(app) as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    with app.app_context():
        assert len(audit.search(get_session(), audit.AuditFilter())) >= 15
