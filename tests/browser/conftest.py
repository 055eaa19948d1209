"""Browser tests: the real app under gunicorn on 127.0.0.1, driven by Playwright in Chromium.

Chromium is Debian's (/usr/bin/chromium; `make test` installs it when missing and it can). Under
CI=true a missing browser fails the run; elsewhere these tests are skipped with the reason.
On failure, a screenshot and the page's HTML are kept under test-output/<test name>/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import DATA_DIR, PASSWORD, _empty_tables

CHROMIUM = os.environ.get("ASSESSMENT_TEST_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)  # polling for a condition, with a deadline
    raise RuntimeError("gunicorn did not start listening")


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
    port = _free_port()
    env = {
        **os.environ,
        "ASSESSMENT_SECRET_KEY": "browser-tests-" + "x" * 40,
        "ASSESSMENT_DATABASE_URL": database_url,
        "ASSESSMENT_FAST_PASSWORD_HASH": "true",
        "ASSESSMENT_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "assessment:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


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


__all__ = ["_empty_tables", "log_in"]
