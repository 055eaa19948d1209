"""Benchmark of the pages officers use most (run: .venv/bin/python bench/pages.py).

(Issue 13 asked for bench/http.py; a script named http.py makes its folder shadow the standard
library's ``http`` package for every script in it, so it is called pages.py.)

Seeds a SQLite database (the shipped default question set; one organisation with 21
assessments, one of them fully answered), starts the app under gunicorn with 2 sync workers as
``make run`` does, logs in, and drives with wrk (Debian package ``wrk``; 20 connections,
2 threads) the section page, the results page and the assessment list, and in the same run
``/healthz`` (a minimal route of the same app: one ``SELECT 1``) as the ceiling. Prints
requests/s, p50 and p99 for each, and each page's ratio to the ceiling.

On a shared machine requests/s say as much about the other jobs as about the app, even as a
ratio (the load changes between two pages' runs). So it also prints the CPU time the server's
processes spent per request (read from ``/proc``: Linux only), which other jobs barely change,
and the ceiling's CPU per request over the page's: the ratio the two would have on an idle
machine where both are CPU-bound.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test harness: server and client

from common import PASSWORD, bench_app, default_version, port_with_officer  # noqa: E402

from assessment.db import get_session, make_engine  # noqa: E402
from assessment.migrate import upgrade  # noqa: E402
from assessment.scoring import shown_questions  # noqa: E402
from assessment.services import answers, assessments  # noqa: E402
from tests.http_client import WebClient  # noqa: E402
from tests.server import gunicorn  # noqa: E402

EMAIL = "officer@bench.example"
AGENT = "port-assess-bench"


def seed(database_url: str) -> tuple[int, str]:
    """The officer's organisation, 21 assessments, the first answered throughout (best and
    worst answers in turn); returns that assessment's id and a section with questions."""
    upgrade(make_engine(database_url))
    app = bench_app(database_url)
    with app.app_context():
        session = get_session()
        version = default_version(session)
        officer = port_with_officer(session, "Port of Bench", EMAIL, "Bench Officer")
        ids = [
            assessments.start_assessment(session, officer, f"Bench {n}", "", version.id).id
            for n in range(21)
        ]
        target = assessments.get_assessment(session, officer, ids[0])
        question_set = assessments.question_set_of(version)
        chosen = {}
        for index, question in enumerate(question_set.questions()):
            answer = question.best_answer() if index % 2 else question.worst_answer()
            chosen[question.id] = answer
        shown = shown_questions(question_set, chosen)
        inputs = [
            answers.AnswerInput(qid, answers.storable(answer), "bench comment")
            for qid, answer in chosen.items()
            if qid in shown
        ]
        answers.save_answers(session, officer, target, inputs)
        sizes = {s.id: len(s.questions) for s in question_set.sections if s.show_if is None}
        section = max(sizes, key=lambda sid: (sizes[sid] <= 10, sizes[sid]))
    app.extensions["db_engine"].dispose()
    return ids[0], section


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            f"User-Agent: {AGENT}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    count = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(name: str) -> float:
        value, unit = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rate": rate,
        "count": count,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


TICKS = os.sysconf("SC_CLK_TCK")


def server_seconds(port: str) -> float:
    """CPU seconds (user and system) used so far by the gunicorn serving ``port``: its master
    and its forked workers, which all keep the master's command line (it names the address)."""
    total = 0
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()  # the fields after the name
        except OSError:
            continue  # ended meanwhile
        if "gunicorn" in command and f"127.0.0.1:{port} " in command:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        assessment_id, section = seed(url)
        with gunicorn(url, LOGIN_LIMIT_PER_ACCOUNT="1000 per minute") as base:
            client = WebClient(base)
            client.http.headers["User-Agent"] = AGENT
            client.login(EMAIL, PASSWORD)
            cookie = "; ".join(f"{k}={v}" for k, v in client.http.cookies.items())
            pages = {
                "ceiling /healthz": "/healthz",
                "section page": f"/assessments/{assessment_id}/sections/{section}",
                "results page": f"/assessments/{assessment_id}/results",
                "assessment list": "/assessments/",
            }
            for path in pages.values():  # warm up: imports, caches, the status of each page
                response = client.http.get(path)
                if response.status_code != 200:
                    sys.exit(f"{path} answered {response.status_code}")
            print(
                f"gunicorn 2 sync workers, SQLite; wrk -t2 -c{args.connections} -d{args.seconds}s"
            )
            port = base.rsplit(":", 1)[1]
            ceiling = ceiling_cpu = None
            for name, path in pages.items():
                before = server_seconds(port)
                figures = wrk(base + path, cookie, args.seconds, args.connections)
                cpu = (server_seconds(port) - before) * 1000 / max(figures["count"], 1)
                ceiling = ceiling or figures["rate"]
                ceiling_cpu = ceiling_cpu or cpu
                print(
                    f"  {name:<18} {figures['rate']:8.1f} req/s  p50 {figures['p50']:7.1f} ms"
                    f"  p99 {figures['p99']:7.1f} ms  non-2xx {figures['errors']}"
                    f"  {figures['rate'] / ceiling:5.2f} of ceiling"
                    f"  | cpu {cpu:6.2f} ms/req  {ceiling_cpu / cpu:5.2f} of ceiling"
                )


if __name__ == "__main__":
    main()
