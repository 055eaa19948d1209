"""Every query of the pages whose data grows with the installation is served by an index on
PostgreSQL: the queries the pages really run are recorded and each is EXPLAINed.

The database is small here, and on small tables PostgreSQL rightly prefers reading the whole
table; with sequential scans priced out (``enable_seqscan = off``) the planner still takes one
only where no index can serve the query, which is what this test looks for. bench/scale.py
measures the same pages at 1,000 organisations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, select

from assessment import create_app, paths
from assessment.db import get_session, make_engine
from assessment.migrate import upgrade
from assessment.models import Assessment, AssessmentStatus, User
from assessment.passwords import hash_password
from assessment.services import seeding, users
from assessment.services.question_sets import import_question_set

from ..conftest import PASSWORD, Client, app_settings, empty_tables

# The tables that grow with organisations, people, assessments and time.
GROWING = {
    "organisation",
    "user_account",
    "assessment",
    "answer",
    "audit_event",
    "report",
    "assessment_move",
    "recovery_code",
}
ADMIN = "admin@scale.example"
OFFICER = "officer00002@seeded-port.example"


@pytest.fixture
def seeded(postgres_url: str) -> Iterator[Flask]:
    """An app on the run's PostgreSQL database with 12 seeded organisations, analysed."""
    engine = make_engine(postgres_url)
    upgrade(engine)
    engine.dispose()
    app = create_app(app_settings(postgres_url, MFA_REQUIRED_FOR_ADMINS=False))
    app.test_client_class = Client
    baseline = paths.shipped_question_sets()[0]
    with app.app_context():
        session = get_session()
        import_question_set(session, baseline.read_bytes(), baseline.name)
        seeding.seed(session, 12, 3, hash_password(PASSWORD, fast=True))
        users.create_user(
            session, None, users.UserData(ADMIN, "Admin", "admin", None), PASSWORD, fast_hash=True
        )
    with app.extensions["db_engine"].connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    yield app
    app.extensions["db_engine"].dispose()
    empty_tables(postgres_url)


def officer_paths(app: Flask) -> list[str]:
    with app.app_context():
        session = get_session()
        org = session.scalar(select(User.organisation_id).where(User.email == OFFICER))
        mine = session.scalars(
            select(Assessment).where(Assessment.organisation_id == org).order_by(Assessment.id)
        ).all()
    done = next(a for a in mine if a.status == AssessmentStatus.COMPLETED)
    newest = mine[-1]
    return [
        "/assessments/",
        f"/assessments/{newest.id}/sections/container-release",
        f"/assessments/{newest.id}/review",
        f"/assessments/{done.id}/results",
        f"/assessments/{done.id}/report.pdf",
    ]


def admin_paths(app: Flask) -> list[str]:
    with app.app_context():
        org = get_session().scalar(select(User.organisation_id).where(User.email == OFFICER))
    return [
        "/assessments/",
        "/assessments/?page=2",
        "/admin/organisations",
        "/admin/users",
        f"/admin/users?organisation={org}",
        "/admin/audit",
        "/admin/audit?action=assessment.complete",
    ]


def record_queries(app: Flask, client, path: str) -> list[tuple[str, object]]:
    """The SELECTs a page runs (following a redirect to a report's status page)."""
    seen: list[tuple[str, object]] = []

    def before(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(path, follow_redirects=True)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200, path
    return seen


def scans(plan: dict) -> Iterator[tuple[str, str]]:
    if "Relation Name" in plan:
        yield plan["Node Type"], plan["Relation Name"]
    for child in plan.get("Plans", []):
        yield from scans(child)


def sequential_scans(app: Flask, queries: list[tuple[str, object]]) -> list[str]:
    found = []
    raw = app.extensions["db_engine"].raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET jit = off")
        for statement, parameters in queries:
            cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for node, table in scans(plan[0]["Plan"]):
                if node == "Seq Scan" and table in GROWING:
                    found.append(f"{table}: {' '.join(statement.split())[:160]}")
        raw.rollback()
    finally:
        raw.close()
    return found


def test_the_growing_pages_read_through_indexes(seeded):
    officer = seeded.test_client()
    officer.login(OFFICER)
    admin = seeded.test_client()
    admin.login(ADMIN)
    problems = {}
    for client, pages in ((officer, officer_paths(seeded)), (admin, admin_paths(seeded))):
        for path in pages:
            queries = record_queries(seeded, client, path)
            assert queries, path
            found = sequential_scans(seeded, queries)
            if found:
                problems[path] = found
    assert problems == {}
