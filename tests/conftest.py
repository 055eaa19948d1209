"""Fixtures: the app on each database backend, a client that speaks CSRF, and row builders.

Every test that uses ``app`` runs twice: on SQLite and on PostgreSQL. PostgreSQL gets a fresh
database for the run; under CI=true an unreachable server fails the run instead of skipping.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from assessment import create_app
from assessment.db import Base, make_engine
from assessment.migrate import upgrade

# Property tests: a quick profile for `make test`, a thorough one for `make test-deep`
# (HYPOTHESIS_PROFILE=thorough). Tests say nothing of their example counts themselves.
settings.register_profile(
    "quick", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

POSTGRES_ADMIN_URL = os.environ.get(
    "ASSESSMENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    name = f"port_assess_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:
    """A migrated database of each backend, shared by the tests of the run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def empty_tables(url: str) -> None:
    """Delete every row (for fixtures that used their own app or server on the database)."""
    engine = make_engine(url)
    _delete_rows(engine)
    engine.dispose()


def _delete_rows(engine) -> None:
    """Empty every table. A report worker of the shared app may be finishing, in the
    background, a render an earlier test asked for; on PostgreSQL its transaction and this
    one can deadlock, and the database then cancels one of them: this one is tried again."""
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                for table in reversed(Base.metadata.sorted_tables):
                    conn.execute(table.delete())
            return
        except OperationalError:
            if attempt == 4:
                raise


def app_settings(database_url: str, **overrides) -> dict:
    """The one place the tests' app settings are written: every app a test builds starts here
    (with a job queue of its own, in a folder of its own, opened only if it is used)."""
    queue = Path(tempfile.mkdtemp(prefix="port-assess-queue-")) / "queue.db"
    return {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "QUEUE_URL": f"sqlite:///{queue}",
        "FAST_PASSWORD_HASH": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "DATABASE_DURABLE": False,
        **overrides,
    }


@contextlib.contextmanager
def report_worker(app: Flask, workers: int = 2) -> Iterator[None]:
    """A real report worker on the app's queue (Huey's consumer in this process, as
    ``port-assess worker`` runs it; each render runs in a child process). Its signal handlers
    are not kept: Ctrl-C stays pytest's."""
    consumer = app.extensions["jobs"].consumer(workers)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    consumer.start()
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    try:
        yield
    finally:
        consumer.stop(graceful=True)


@pytest.fixture(scope="session")
def shared_worker(shared_app: Flask) -> Iterator[None]:
    with report_worker(shared_app):
        yield


@pytest.fixture
def worker(app, shared_worker) -> None:
    """Reports asked for in this test are made (by the run's worker on the shared app)."""


def fetch_pdf(client, path: str, deadline: float = 180) -> bytes:
    """A report's bytes, as a person gets them (see ``fetch_report``)."""
    return fetch_report(client, path, deadline).data


def fetch_report(client, path: str, deadline: float = 180):
    """A report as a person gets it: ask for it, follow its status page until it is made (the
    page refreshes itself; so do we, until the condition holds or the deadline passes), then
    download it. Fails with the page's message if the report could not be made."""
    response = client.get(path)
    stop = time.monotonic() + deadline
    while response.status_code in (302, 303):
        status_page = response.headers["Location"]
        page = client.get(status_page)
        html = page.get_data(as_text=True)
        if "could not be made" in html:
            raise AssertionError(
                f"the report failed: {html[html.index('could not be made') :][:300]}"
            )
        download = DOWNLOAD_LINK.search(html)
        if download:
            response = client.get(download.group(1).replace("&amp;", "&"))
            break
        if time.monotonic() > stop:
            raise AssertionError(f"the report was not made within {deadline} s")
        time.sleep(0.1)  # polling the status page for a condition, with a deadline
    assert response.status_code == 200, response.status_code
    return response


DOWNLOAD_LINK = re.compile(r'href="([^"]+(?:/download|download=1)[^"]*)"')


@pytest.fixture(scope="session")
def shared_app(database_url: str) -> Iterator[Flask]:
    """One app per database backend for the whole run: building an app registers every
    blueprint (about 50 ms), which thousands of tests need not repeat."""
    app = create_app(app_settings(database_url))
    app.test_client_class = Client
    app.extensions["test_config"] = dict(app.config)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def app(shared_app: Flask) -> Iterator[Flask]:
    """The run's app as new for each test: its settings as built, rate-limit counters and
    in-process caches empty; every row a test wrote is deleted after it."""
    from assessment.extensions import limiter
    from assessment.services import records

    shared_app.config.clear()
    shared_app.config.update(shared_app.extensions["test_config"])
    shared_app.test_client_class = Client
    with shared_app.app_context():
        limiter.reset()
    records.RESULTS.entries.clear()
    yield shared_app
    _delete_rows(shared_app.extensions["db_engine"])


CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Client(FlaskClient):
    """A test client that, like a browser, sends back the CSRF token of the page it read."""

    def csrf_token(self, page: str = "/login") -> str:
        html = self.get(page).get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, form_page: str | None = None, **kwargs):
        """POST a form with the CSRF token taken from ``form_page`` (default: the URL)."""
        payload = dict(data or {})
        payload["csrf_token"] = self.csrf_token(form_page or url)
        return self.post(url, data=payload, **kwargs)

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        """Log in as a person would, giving the second factor when it is asked for."""
        response = self.submit("/login", {"email": email, "password": password}, **kwargs)
        if (
            response.status_code == 302
            and response.headers["Location"] == "/login/mfa"
            and email in MFA_SECRETS
        ):
            response = self.submit("/login/mfa", {"code": self.next_code(email)})
        return response

    def next_code(self, email: str) -> str:
        """An unused code: this step's or the next one's; else a recovery code (each login
        uses one code up, and a test may log the same person in several times)."""
        from assessment.db import get_session
        from assessment.services.users import find_by_email

        with self.application.app_context():
            last = find_by_email(get_session(), email).mfa_last_step
        totp = pyotp.TOTP(MFA_SECRETS[email])
        current = totp.timecode(datetime.now())  # noqa: DTZ005 - pyotp's local time
        for step in (current, current + 1):
            if last is None or step > last:
                return totp.generate_otp(step)
        if not MFA_RECOVERY[email]:  # many logins in one test: new codes, as a person may
            from assessment.services import mfa

            with self.application.app_context():
                session = get_session()
                MFA_RECOVERY[email] = mfa.regenerate_recovery_codes(
                    session, find_by_email(session, email)
                )
        return MFA_RECOVERY[email].pop()

    def logout(self):
        return self.submit("/logout", form_page="/account/password")


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()


@pytest.fixture
def make_client(app: Flask):
    """More clients, for tests with several people at once."""
    return app.test_client


@dataclass
class People:
    """Two organisations, an officer in each, and an administrator."""

    org_a: int
    org_b: int
    officer_a: str
    officer_b: str
    admin: str


@pytest.fixture
def people(app: Flask) -> People:
    from assessment.db import get_session
    from assessment.services import organisations, users

    with app.app_context():
        session = get_session()
        org_a = organisations.create_organisation(
            session, None, organisations.OrganisationData("Port of Aldport", "port_authority", "NL")
        )
        org_b = organisations.create_organisation(
            session,
            None,
            organisations.OrganisationData("Bexley Container Terminal", "terminal", "BE"),
        )
        for email, role, org in (
            ("officer.a@aldport.example", "officer", org_a.id),
            ("officer.b@bexley.example", "officer", org_b.id),
            ("admin@port-assess.example", "admin", None),
        ):
            created = users.create_user(
                session,
                None,
                users.UserData(email, email.split("@")[0].title(), role, org),
                PASSWORD,
                fast_hash=True,
            )
            if role == "admin":
                enrol_mfa(session, created)
        return People(
            org_a.id,
            org_b.id,
            "officer.a@aldport.example",
            "officer.b@bexley.example",
            "admin@port-assess.example",
        )


MFA_SECRETS: dict[str, str] = {}
MFA_RECOVERY: dict[str, list[str]] = {}


def enrol_mfa(session, user) -> str:
    """Turn on MFA for a user as the enrolment page would; tests can then log them in."""
    from assessment.services import mfa

    secret = mfa.new_secret()
    step_code = pyotp.TOTP(secret).now()
    MFA_RECOVERY[user.email] = mfa.enable(session, user, secret, step_code)
    MFA_SECRETS[user.email] = secret
    return secret


DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


ANALYST = "analyst@authority.example"


def make_analyst(app: Flask, *, enrolled: bool = True) -> str:
    """A sector analyst (no organisation), created as the CLI or the admin form would; like an
    administrator, enrolled in MFA unless told otherwise (the login helper gives the codes)."""
    from assessment.db import get_session
    from assessment.services import users

    with app.app_context():
        session = get_session()
        analyst = users.create_user(
            session,
            None,
            users.UserData(ANALYST, "Sector analyst", "analyst", None),
            PASSWORD,
            fast_hash=True,
        )
        if enrolled:
            enrol_mfa(session, analyst)
    return ANALYST


def import_question_set(app: Flask, path: str) -> int:
    """Store a question-set file as a published version; returns the version's row id."""
    from assessment.db import get_session
    from assessment.services.question_sets import import_question_set as store

    with app.app_context(), open(path, "rb") as handle:
        return store(get_session(), handle.read(), os.path.basename(path)).version.id


@pytest.fixture
def scoring_set(app: Flask) -> int:
    return import_question_set(app, os.path.join(DATA_DIR, "scoring.yaml"))


@pytest.fixture
def colleague(app: Flask, people: People) -> str:
    """A second officer of organisation A, for working on the same assessment."""
    from assessment.db import get_session
    from assessment.services import users

    with app.app_context():
        users.create_user(
            get_session(),
            None,
            users.UserData("colleague.a@aldport.example", "Colleague A", "officer", people.org_a),
            PASSWORD,
            fast_hash=True,
        )
    return "colleague.a@aldport.example"


SLOW_FOLDERS = {"browser", "concurrency", "report"}


def pytest_collection_modifyitems(config, items):
    """``slow``: tests that start servers or browsers, or render PDFs (by folder, or "pdf" in
    the test's name), so that ``pytest -m "not slow"`` really leaves them out."""
    root = Path(__file__).parent
    for item in items:
        folder = Path(item.path).relative_to(root).parts[0]
        if folder in SLOW_FOLDERS or "pdf" in item.name.lower():
            item.add_marker(pytest.mark.slow)
