"""Benchmark: pages stay fast while reports render (run: .venv/bin/python bench/reports.py).

Seeds 20 organisations, each with an officer and an assessment of the default set answered
throughout (mixed answers), starts the app as ``make run`` does (gunicorn, 2 sync workers, and
one report worker), then in one run:

1. the section page under wrk (20 connections) with nothing else going on: p50, p99;
2. the 20 officers ask for their 20 reports at the same instant; while they render, the same
   section page under wrk again: p50, p99, and the ratio of p99 to the idle p99;
3. the time from the 20 requests until all 20 PDFs are ready, and the slowest request.

Target on this 2-core machine: page p99 during the burst at most 3x idle, no request failing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test harness: server, clients
sys.path.insert(0, str(ROOT / "bench"))

from common import PASSWORD, bench_app, default_version, port_with_officer  # noqa: E402
from pages import AGENT, wrk  # noqa: E402

from assessment.db import get_session, make_engine  # noqa: E402
from assessment.migrate import upgrade  # noqa: E402
from assessment.scoring.samples import sample_answers  # noqa: E402
from assessment.services import answers, assessments  # noqa: E402
from tests.http_client import WebClient  # noqa: E402
from tests.server import gunicorn  # noqa: E402

REPORTS = 20


def seed(database_url: str) -> list[tuple[str, int]]:
    """(officer e-mail, assessment id) for each of the organisations."""
    upgrade(make_engine(database_url))
    app = bench_app(database_url)
    seeded = []
    with app.app_context():
        session = get_session()
        version = default_version(session)
        question_set = assessments.question_set_of(version)
        chosen = sample_answers(question_set, "mixed")
        inputs = [
            answers.AnswerInput(qid, answers.storable(a), f"Noted by the bench, {qid}.")
            for qid, a in chosen.items()
        ]
        for n in range(REPORTS):
            email = f"officer{n:02d}@port{n:02d}.example"
            officer = port_with_officer(session, f"Port {n:02d}", email, f"Officer {n}")
            assessment = assessments.start_assessment(session, officer, "Bench", "", version.id)
            answers.save_answers(session, officer, assessment, inputs)
            seeded.append((email, assessment.id))
    app.extensions["db_engine"].dispose()
    return seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        seeded = seed(url)
        with gunicorn(url, LOGIN_LIMIT_PER_ACCOUNT="1000 per minute") as base:
            clients = []
            for email, _ in seeded:
                client = WebClient(base)
                client.http.headers["User-Agent"] = AGENT
                client.login(email, PASSWORD)
                clients.append(client)
            _first_email, first_id = seeded[0]
            cookie = "; ".join(f"{k}={v}" for k, v in clients[0].http.cookies.items())
            section = base + f"/assessments/{first_id}/sections/governance"
            clients[0].http.get(section).raise_for_status()
            idle = wrk(section, cookie, args.seconds, 20)
            print(
                f"section page, idle:        p50 {idle['p50']:6.1f} ms  p99 {idle['p99']:6.1f} ms  "
                f"{idle['rate']:7.1f} req/s  non-2xx {idle['errors']}"
            )

            started = time.perf_counter()
            asked: list[float] = []
            failures: list[str] = []
            done = threading.Barrier(len(clients) + 1)

            def ask(client: WebClient, assessment_id: int) -> None:
                done.wait()
                t0 = time.perf_counter()
                response = client.http.get(f"/assessments/{assessment_id}/report.pdf")
                asked.append(time.perf_counter() - t0)
                if response.status_code not in (200, 303):
                    failures.append(f"{assessment_id}: HTTP {response.status_code}")

            threads = [
                threading.Thread(target=ask, args=(c, a))
                for c, (_, a) in zip(clients, seeded, strict=True)
            ]
            for thread in threads:
                thread.start()
            done.wait()
            for thread in threads:
                thread.join()
            burst = wrk(section, cookie, args.seconds, 20)
            print(
                f"section page, 20 renders:  p50 {burst['p50']:6.1f} ms  "
                f"p99 {burst['p99']:6.1f} ms  "
                f"{burst['rate']:7.1f} req/s  non-2xx {burst['errors']}  "
                f"p99 {burst['p99'] / idle['p99']:4.2f}x idle"
            )
            pdfs = [
                c.fetch_report(f"/assessments/{a}/report.pdf", deadline=1800).content
                for c, (_, a) in zip(clients, seeded, strict=True)
            ]
            total = time.perf_counter() - started
            ok = sum(pdf.startswith(b"%PDF") for pdf in pdfs)
            print(
                f"asking for a report: slowest answer {max(asked) * 1000:.0f} ms; "
                f"{ok}/{REPORTS} PDFs ready {total:.0f} s after the 20 requests; "
                f"failed requests: {failures or 'none'}"
            )


if __name__ == "__main__":
    main()
