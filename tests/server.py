"""The real app under gunicorn on a free local port, for tests that need a real server: the
browser journeys and the concurrency tests (real clients, real worker processes)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
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


@contextlib.contextmanager
def listening(argv: list[str], port: int, **popen) -> Iterator[subprocess.Popen]:
    """Start ``argv`` (a server that will listen on ``port``), wait until it does, and stop it
    afterwards, whatever the test did."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, **popen)
    try:
        _wait_for(port, process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def gunicorn(
    database_url: str, workers: int = 2, report_workers: int = 1, **settings: str
) -> Iterator[str]:
    """Serve the app against ``database_url`` as ``make run`` does (sync workers, and a report
    worker on a queue of its own); yields the base URL. ``settings`` are extra ASSESSMENT_*
    variables (without the prefix)."""
    port = free_port()
    queue = Path(tempfile.mkdtemp(prefix="port-assess-queue-")) / "queue.db"
    env = {
        **os.environ,
        "ASSESSMENT_SECRET_KEY": "live-server-tests-" + "x" * 40,
        "ASSESSMENT_DATABASE_URL": database_url,
        "ASSESSMENT_QUEUE_URL": f"sqlite:///{queue}",
        "ASSESSMENT_FAST_PASSWORD_HASH": "true",
        "ASSESSMENT_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
        "ASSESSMENT_REQUEST_LOG": "false",  # a line per request would drown the test output
        **{f"ASSESSMENT_{key}": value for key, value in settings.items()},
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("port-assess")),
            "worker",
            "--workers",
            str(report_workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers",
            str(workers),
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
        for child in (process, worker):
            child.terminate()
        for child in (process, worker):
            child.wait(timeout=30)
