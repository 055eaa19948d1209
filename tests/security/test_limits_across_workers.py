"""Limits that hold across processes: the app served as ``make run`` serves it (gunicorn, two
sync workers, the repository's gunicorn.conf.py) on SQLite and PostgreSQL, with the default
rate-limit storage (the database) and with Redis.

Before, each worker counted in its own memory: two workers allowed 20 wrong passwords per
account where the README says 10, and a restarted worker started from zero. Here 25 wrong
passwords arrive at the same instant and are spread over both workers: exactly 10 are checked;
then the right password is refused, also by workers started after the others were killed.
The same live server shows what gunicorn adds to every response (no ``Server`` banner) and
what OPTIONS gets.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from ..conftest import PASSWORD
from ..http_client import WebClient
from ..server import ROOT, free_port, listening

pytestmark = pytest.mark.slow

WRONG = "not the password at all"
BURST = 25
# The access log says which worker process served each request.
ACCESS_FORMAT = "%(p)s %(s)s %(m)s %(U)s"


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway Redis on a free local port (no disk), as ASSESSMENT_RATELIMIT_STORAGE_URI."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (Debian: redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with listening(argv, port):
        yield f"redis://127.0.0.1:{port}"


@contextlib.contextmanager
def live_server(database_url: str, access_log: Path, **settings: str) -> Iterator[str]:
    """gunicorn with two workers, as ``make run`` starts it (from the repository, so with its
    gunicorn.conf.py), logging every request with the worker's process id. ``--preload`` only
    makes starting (and restarting) workers quicker: each is still a process of its own, with
    its own memory. Only the account's login limit is left as configured."""
    port = free_port()
    env = {
        **os.environ,
        "ASSESSMENT_SECRET_KEY": "limits-across-workers-" + "x" * 40,
        "ASSESSMENT_DATABASE_URL": database_url,
        "ASSESSMENT_QUEUE_URL": f"sqlite:///{access_log.parent / 'queue.db'}",
        "ASSESSMENT_FAST_PASSWORD_HASH": "true",
        "ASSESSMENT_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
        **{f"ASSESSMENT_{key}": value for key, value in settings.items()},
    }
    argv = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers",
        "2",
        "--preload",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_FORMAT,
        "assessment:create_app()",
    ]
    with listening(argv, port, cwd=ROOT, env=env):
        yield f"http://127.0.0.1:{port}"


def served(access_log: Path, method: str, path: str, at_least: int = 0) -> list[tuple[int, int]]:
    """(worker pid, status) of every logged request with this method and path, once there
    are ``at_least`` (a worker logs a request just after sending its response)."""
    deadline = time.monotonic() + 30
    while True:
        found = []
        for line in access_log.read_text().splitlines():
            pid, status, logged_method, logged_path = line.split(" ", 3)
            if logged_method == method and logged_path == path:
                found.append((int(pid.strip("<>")), int(status)))
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.05)  # polling the log for a condition, with a deadline


def wrong_logins_at_once(base: str, email: str, count: int) -> list[int]:
    """``count`` wrong passwords posted at the same instant, each on its own connection."""
    clients = [WebClient(base) for _ in range(count)]
    try:
        for client in clients:
            client.page("/login")
        barrier = threading.Barrier(count)

        def attempt(client: WebClient) -> int:
            barrier.wait(timeout=60)
            return client.post("/login", {"email": email, "password": WRONG}).status_code

        with ThreadPoolExecutor(count) as pool:
            return list(pool.map(attempt, clients))
    finally:
        for client in clients:
            client.close()


def login_status(base: str, email: str, password: str) -> int:
    client = WebClient(base)
    try:
        return client.password_step(email, password).status_code
    finally:
        client.close()


def restart_workers(base: str, access_log: Path, pids: set[int]) -> None:
    """Kill the workers (as the kernel's OOM killer would); wait for the master's new ones."""
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{base}/healthz", timeout=5, headers={"Connection": "close"})
            served_by = {pid for pid, _ in served(access_log, "GET", "/healthz")}
            if served_by - pids:
                return
        time.sleep(0.1)  # polling for the new workers, with a deadline
    raise AssertionError("no new worker answered within 60 s")


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The live server of this module on each database, with the default rate-limit storage
    (the database); (base URL, access log). Its counters are deleted with every test's rows."""
    access_log = tmp_path_factory.mktemp("gunicorn") / "access.log"
    with live_server(database_url, access_log) as base:
        yield base, access_log


@pytest.fixture(scope="module")
def redis_backed_server(database_url: str, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The same with ASSESSMENT_RATELIMIT_STORAGE_URI=redis://... (its counters outlive a
    test: each test that uses it guesses at an account of its own people)."""
    access_log = tmp_path_factory.mktemp("gunicorn") / "access.log"
    with (
        redis_server() as uri,
        live_server(database_url, access_log, RATELIMIT_STORAGE_URI=uri) as base,
    ):
        yield base, access_log


@pytest.mark.parametrize("storage", ["server", "redis_backed_server"])
def test_ten_wrong_passwords_per_account_across_two_workers(request, app, people, storage):
    base, access_log = request.getfixturevalue(storage)
    before = len(served(access_log, "POST", "/login"))
    statuses = wrong_logins_at_once(base, people.officer_a, BURST)
    assert statuses.count(200) == 10, statuses  # checked, and wrong
    assert statuses.count(429) == BURST - 10, statuses
    burst = served(access_log, "POST", "/login", at_least=before + BURST)[before:]
    workers = {pid for pid, _ in burst}
    assert len(workers) == 2, "the burst was not spread over both workers"
    assert login_status(base, people.officer_a, PASSWORD) == 429
    assert login_status(base, people.officer_b, PASSWORD) == 302  # other accounts go on

    restart_workers(base, access_log, workers)
    assert login_status(base, people.officer_a, PASSWORD) == 429
    pid, status = served(access_log, "POST", "/login", at_least=before + BURST + 3)[-1]
    assert (pid not in workers, status) == (True, 429)


def test_password_change_and_login_share_the_budget_across_workers(app, people, server):
    base, _ = server
    new = "an entirely fresh passphrase"
    with contextlib.closing(WebClient(base)) as officer:
        officer.login(people.officer_b, PASSWORD)
        officer.page("/account/password")
        for n in range(10):
            if n % 2:
                assert login_status(base, people.officer_b, WRONG) == 200
                continue
            response = officer.post(
                "/account/password",
                {"current_password": WRONG, "new_password": new, "confirm": new},
                headers={"Connection": "close"},  # the next request may go to either worker
            )
            assert "not your current password" in response.text
        response = officer.post(
            "/account/password",
            {"current_password": PASSWORD, "new_password": new, "confirm": new},
        )
        assert response.status_code == 429
        assert login_status(base, people.officer_b, PASSWORD) == 429


def test_no_server_banner_and_no_automatic_options(server):
    base, _ = server
    for method, path, expected in [
        ("GET", "/login", 200),
        ("GET", "/static/app.css", 200),
        ("GET", "/assessments/", 302),
        ("GET", "/nowhere", 404),
        ("OPTIONS", "/login", 405),
        ("OPTIONS", "/assessments/", 405),
        ("OPTIONS", "*", 400),
    ]:
        if path == "*":  # an asterisk-form request line, which httpx cannot send
            response_head = _raw_request(base, f"{method} * HTTP/1.1")
            assert "server:" not in response_head.lower(), response_head
            continue
        response = httpx.request(method, base + path, timeout=120)
        assert response.status_code == expected, (method, path, response.status_code)
        assert "server" not in response.headers, (method, path, response.headers)


def _raw_request(base: str, request_line: str) -> str:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks).decode("latin-1").split("\r\n\r\n")[0]
