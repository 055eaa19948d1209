"""The production app servers run with the repository's gunicorn.conf.py wherever they start.

gunicorn.conf.py drops gunicorn's ``Server: gunicorn`` header. gunicorn only reads it by
itself from the folder it starts in, which holds it in a checkout but not where the code is a
wheel in a venv; so the web unit names it with ``-c``. These tests take the app server's
command line from ``deploy/local-cluster.sh command`` (the unit's ExecStart= expanded exactly
as the cluster script starts it), run it from a folder without the file, and look at a real
response; a run of the same line without ``-c`` shows the header the file removes, so the
check would see it if the file were not applied. docs/deploy.md quotes the units' ExecStart=
lines, and is checked to quote them as they are.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..server import ROOT, free_port, listening

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
CONFIG = ROOT / "gunicorn.conf.py"


def cluster_command(state: Path, part: str) -> list[str]:
    """``local-cluster.sh command PART`` as argv, with a state folder of the test's own (the
    script writes only its environment file there) and none of the caller's settings."""
    done = subprocess.run(
        [str(DEPLOY / "local-cluster.sh"), "command", part],
        env={
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "PORT_ASSESS_CLUSTER_STATE": str(state),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return shlex.split(done.stdout)


def cluster_environment(state: Path, **overrides: str) -> dict[str, str]:
    """The environment file the script wrote (KEY=value, quotes removed as systemd removes
    them), with the settings that would reach the cluster's own database and Redis replaced."""
    values = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")}
    for line in (state / "port-assess.env").read_text().splitlines():
        found = re.match(r"^([A-Z_][A-Z0-9_]*)=(.*)$", line)
        if found:
            values[found.group(1)] = found.group(2).strip('"')
    return values | overrides


@contextlib.contextmanager
def serving(argv: list[str], cwd: Path, env: dict[str, str], port: int) -> Iterator[str]:
    with listening(argv, port, cwd=cwd, env=env):
        yield f"http://127.0.0.1:{port}"


def without_config(argv: list[str]) -> list[str]:
    at = argv.index("-c")
    return argv[:at] + argv[at + 2 :]


@pytest.mark.slow
def test_the_cluster_app_server_sends_no_server_header_from_any_folder(postgres_url, tmp_path):
    state = tmp_path / "state"
    port = free_port()
    argv = cluster_command(state, f"web-{port}")
    assert argv[argv.index("-c") + 1] == str(CONFIG)
    env = cluster_environment(
        state,
        ASSESSMENT_DATABASE_URL=postgres_url,
        ASSESSMENT_QUEUE_URL=f"sqlite:///{tmp_path / 'queue.db'}",
        ASSESSMENT_RATELIMIT_STORAGE_URI="memory://",
        ASSESSMENT_SECRET_KEY="deploy-config-test-" + "x" * 40,
        ASSESSMENT_INSTANCE_PATH=str(tmp_path / "instance"),
        ASSESSMENT_REQUEST_LOG="false",
    )
    elsewhere = tmp_path / "elsewhere"  # no gunicorn.conf.py for gunicorn to find by itself
    elsewhere.mkdir()
    control_port = free_port()
    control = without_config(cluster_command(state, f"web-{control_port}"))

    # Both at once: loading the app in each worker takes seconds on a busy machine.
    with (
        serving(argv, elsewhere, env, port) as base,
        serving(control, elsewhere, env, control_port) as control_base,
    ):
        response = httpx.get(f"{base}/healthz", timeout=60)
        bare = httpx.get(f"{control_base}/healthz", timeout=60)
    assert response.status_code == 200, response.text
    assert "server" not in response.headers
    assert bare.status_code == 200, bare.text
    assert bare.headers["server"] == "gunicorn"


def test_every_gunicorn_line_of_the_units_names_the_config():
    """A unit that starts gunicorn must pass the repository's file, at the path the units give
    the code (/opt/port-assess, which the cluster script replaces with the checkout)."""
    lines = [
        shlex.split(line.removeprefix("ExecStart="))
        for unit in UNITS
        for line in unit.read_text().splitlines()
        if line.startswith("ExecStart=")
    ]
    gunicorn = [argv for argv in lines if Path(argv[0]).name == "gunicorn"]
    assert gunicorn, "no unit starts gunicorn"
    for argv in gunicorn:
        assert "-c" in argv, argv
        named = argv[argv.index("-c") + 1]
        assert named.startswith("/opt/port-assess/"), named
        assert ROOT / named.removeprefix("/opt/port-assess/") == CONFIG


def test_the_guide_quotes_the_units_command_lines_as_they_are():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                assert line in guide.splitlines(), f"docs/deploy.md does not quote {unit.name}"
