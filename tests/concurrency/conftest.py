"""Concurrency tests: real clients at the same instant against gunicorn's two worker processes
(as ``make run`` serves the app), on SQLite and PostgreSQL; or, for services no page reaches
at once, threads with separate database connections. Starts are lined up with barriers; every
loop is bounded by a count, never by a sleep."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ..conftest import DATA_DIR, import_question_set
from ..server import gunicorn


@pytest.fixture(scope="session")
def server(database_url: str) -> Iterator[str]:
    with gunicorn(database_url, MFA_LIMIT="1000 per minute") as base_url:
        yield base_url


@pytest.fixture
def concurrency_set(app) -> int:
    return import_question_set(app, os.path.join(DATA_DIR, "concurrency.yaml"))


@pytest.fixture
def shared_assessment(app, people, concurrency_set) -> int:
    """An assessment of organisation A on the twenty-question set, nothing answered yet."""
    from assessment.db import get_session
    from assessment.services import assessments
    from assessment.services.users import find_by_email

    with app.app_context():
        session = get_session()
        officer = find_by_email(session, people.officer_a)
        return assessments.start_assessment(session, officer, "Shared", "", concurrency_set).id


@pytest.fixture
def officers(app, people) -> list[str]:
    """Six officers of organisation A (the people fixture's one and five colleagues)."""
    from assessment.db import get_session
    from assessment.services import users

    emails = [people.officer_a]
    with app.app_context():
        for n in range(1, 6):
            email = f"colleague{n}@aldport.example"
            users.create_user(
                get_session(),
                None,
                users.UserData(email, f"Colleague {n}", "officer", people.org_a),
                "correct horse battery staple",
                fast_hash=True,
            )
            emails.append(email)
    return emails
