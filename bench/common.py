"""What the benchmarks share: an app on a database, the default question set, a port with its
officer, and the bench accounts' password. (Run from ``bench/``: each script puts the
repository on ``sys.path`` before importing this.)"""

from __future__ import annotations

import secrets

from assessment import create_app, paths
from assessment.models import QuestionSetVersion, User
from assessment.services import organisations, users
from assessment.services.question_sets import import_question_set

PASSWORD = "correct horse battery staple"  # noqa: S105 - the seeded bench accounts


def bench_app(database_url: str, **settings):
    """The app on ``database_url`` (a fresh secret key; TESTING: no secure-cookie demands)."""
    config = {"SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url, "TESTING": True}
    return create_app(config | settings)


def default_version(session) -> QuestionSetVersion:
    """The shipped default question set, imported if missing (idempotent: a cluster's `up`
    has imported it already, and this finds that version)."""
    source = paths.shipped_question_sets()[0]
    return import_question_set(session, source.read_bytes(), source.name).version


def port_with_officer(session, port: str, email: str, name: str, password: str = PASSWORD) -> User:
    """A new terminal organisation and its one officer, who can log in with ``password``."""
    org = organisations.create_organisation(
        session, None, organisations.OrganisationData(port, "terminal", "NL")
    )
    return users.create_user(
        session, None, users.UserData(email, name, "officer", org.id), password, fast_hash=True
    )
