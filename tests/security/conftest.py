"""The attacker's world: organisations A and B with real data, and a logged-in client per role.

Built through the HTTP forms, as people would, on each database backend (``app`` runs every test
on SQLite and on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from assessment import create_app
from assessment.db import get_session
from assessment.models import AssessmentMove, User

from ..conftest import (
    ANALYST,
    DATA_DIR,
    Client,
    People,
    app_settings,
    empty_tables,
    import_question_set,
    make_analyst,
)
from ..conftest import people as people_fixture
from ..conftest import scoring_set as scoring_set_fixture
from ..report.conftest import canary  # noqa: F401 - the one canary fixture, shared here
from .helpers import open_section, save_ok, start


@dataclass
class World:
    people: People
    question_set: int  # the version id of tests/data/scoring.yaml
    a_open: int  # organisation A, in progress, with answers and comments
    a_done: int  # organisation A, completed
    b_open: int  # organisation B's own, in progress
    question_set_v2: int  # a newer published version of the same set
    a_moved: int  # organisation A, started on version 1 and moved to version 2
    move_id: int  # that move (its history report is A's)
    report_id: int  # a report of a_open, asked for (A's)
    user_ids: dict[str, int]  # "officer_a", "officer_b", "admin" -> id
    officer_a: Client
    officer_b: Client
    admin: Client
    analyst: Client  # a sector analyst: aggregates only, refused every organisation's page

    @property
    def org_a(self) -> int:
        return self.people.org_a

    @property
    def org_b(self) -> int:
        return self.people.org_b

    def client(self, role: str) -> Client:
        return getattr(self, role)


def user_ids(app, people: People) -> dict[str, int]:
    emails = {"officer_a": people.officer_a, "officer_b": people.officer_b, "admin": people.admin}
    emails["analyst"] = ANALYST
    with app.app_context():
        found = {u.email: u.id for u in get_session().scalars(select(User))}
    return {role: found[email] for role, email in emails.items() if email in found}


def publish_version_2(app, tmp_path) -> int:
    """Version 2 of tests/data/scoring.yaml, published: assessments on version 1 may move."""
    source = (Path(DATA_DIR) / "scoring.yaml").read_text(encoding="utf-8")
    path = tmp_path / "scoring-v2.yaml"
    path.write_text(source.replace("\nversion: 1\n", "\nversion: 2\n", 1), encoding="utf-8")
    return import_question_set(app, str(path))


def build_world(app, people: People, scoring_set: int, make_client, tmp_path) -> World:
    officer_a = make_client()
    assert officer_a.login(people.officer_a).status_code == 302
    a_open = start(officer_a, "Aldport 2026", "Container terminal north")
    profile = open_section(officer_a, a_open, "profile").set("a:p-ot", "yes")
    save_ok(officer_a, a_open, "profile", profile)
    form = open_section(officer_a, a_open, "a").set("a:a1", "no").set("c:a1", "Aldport secret")
    save_ok(officer_a, a_open, "a", form.set("a:a2", "1"))
    a_done = start(officer_a, "Aldport 2025")
    save_ok(officer_a, a_done, "a", open_section(officer_a, a_done, "a").set("a:a1", "yes"))
    assert officer_a.submit(f"/assessments/{a_done}/complete").status_code == 302

    officer_b = make_client()
    assert officer_b.login(people.officer_b).status_code == 302
    b_open = start(officer_b, "Bexley 2026")

    question_set_v2 = publish_version_2(app, tmp_path)
    a_moved = start(officer_a, "Aldport moved", question_set_version_id=scoring_set)
    save_ok(officer_a, a_moved, "a", open_section(officer_a, a_moved, "a").set("a:a1", "no"))
    token = officer_a.csrf_token(f"/assessments/{a_moved}/move")
    moved = officer_a.post(
        f"/assessments/{a_moved}/move", data={"version": question_set_v2, "csrf_token": token}
    )
    assert moved.status_code == 302, moved.get_data(as_text=True)[:2000]
    with app.app_context():
        move_id = get_session().scalar(
            select(AssessmentMove.id).where(AssessmentMove.assessment_id == a_moved)
        )

    asked = officer_a.get(f"/assessments/{a_open}/report.pdf")
    assert asked.status_code == 303, asked.status_code
    report_id = int(asked.headers["Location"].rsplit("/", 1)[1])

    admin = make_client()
    assert admin.login(people.admin).status_code == 302
    analyst = make_client()
    assert analyst.login(make_analyst(app)).status_code == 302
    return World(
        people=people,
        question_set=scoring_set,
        a_open=a_open,
        a_done=a_done,
        b_open=b_open,
        question_set_v2=question_set_v2,
        a_moved=a_moved,
        move_id=move_id,
        report_id=report_id,
        user_ids=user_ids(app, people),
        officer_a=officer_a,
        officer_b=officer_b,
        admin=admin,
        analyst=analyst,
    )


@pytest.fixture
def world(app, people, scoring_set, make_client, tmp_path) -> World:
    """A world of its own for a test that changes things."""
    return build_world(app, people, scoring_set, make_client, tmp_path)


@pytest.fixture(scope="module")
def walk_app(database_url: str) -> Iterator[Flask]:
    """One app per test module and backend, for modules whose tests only read (or check that
    nothing changed): building the world once keeps the walks fast."""
    app = create_app(
        app_settings(database_url, REPORT_LIMIT_PER_USER="1000 per minute")  # not flood tests
    )
    app.test_client_class = Client
    yield app
    app.extensions["db_engine"].dispose()
    empty_tables(database_url)


@pytest.fixture(scope="module")
def shared_world(walk_app, tmp_path_factory) -> World:
    # The conftest's own fixture functions, called once for the module: the same people (and
    # whatever they need to log in) as every other test gets.
    people = people_fixture.__wrapped__(walk_app)
    scoring_set = scoring_set_fixture.__wrapped__(walk_app)
    return build_world(
        walk_app, people, scoring_set, walk_app.test_client, tmp_path_factory.mktemp("qs")
    )
