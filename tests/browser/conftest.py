"""Browser tests: the real app under gunicorn on 127.0.0.1, driven by Playwright in Chromium.

Chromium is Debian's (/usr/bin/chromium; `make test` installs it when missing and it can). Under
CI=true a missing browser fails the run; elsewhere these tests are skipped with the reason.
On failure, a screenshot and the page's HTML are kept under test-output/<test name>/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pyotp
import pytest

from ..conftest import DATA_DIR, MFA_SECRETS, PASSWORD, empty_tables
from ..server import gunicorn

CHROMIUM = os.environ.get("ASSESSMENT_TEST_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(database_url: str, chromium_path: str) -> Iterator[str]:
    """gunicorn serving the app on a free local port, against the run's test database."""
    with gunicorn(database_url) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def seeded(app, people, database_url):
    """Organisations and people (from the app fixture) and the shipped test question set."""
    from ..conftest import import_question_set

    import_question_set(app, os.path.join(DATA_DIR, "journey.yaml"))
    return people


@pytest.fixture
def context(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        folder = OUTPUT / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for index, page in enumerate(context.pages):
            page.screenshot(path=str(folder / f"page-{index}.png"), full_page=True)
            (folder / f"page-{index}.html").write_text(page.content(), encoding="utf-8")
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def page(context):
    return context.new_page()


def log_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/assessments/$"))


def admin_log_in(page, base: str, email: str, landing: str = r".*/home$") -> None:
    """Log in with the password, then the second factor (administrators and analysts)."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/login/mfa$"))
    totp = pyotp.TOTP(MFA_SECRETS[email])
    # The fixture's enrolment used this step's code; codes are single-use, and the next
    # step's code is accepted for clock drift.
    code = totp.generate_otp(totp.timecode(datetime.now()) + 1)  # noqa: DTZ005
    page.get_by_label(re.compile("Code from your authenticator app")).fill(code)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(landing))


__all__ = ["admin_log_in", "empty_tables", "log_in"]


def pytest_collection_modifyitems(config, items):
    """Browser journeys run on SQLite only: what differs on PostgreSQL lies below the page
    (transactions, types, constraints) and is covered by the web, security and concurrency
    tests, which run on both databases."""
    here = Path(__file__).parent
    chosen, dropped = [], []
    for item in items:
        on_postgres = "postgresql" in getattr(getattr(item, "callspec", None), "id", "")
        (dropped if on_postgres and here in Path(item.path).parents else chosen).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = chosen
