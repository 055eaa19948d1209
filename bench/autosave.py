"""Benchmark of concurrent autosaves (run: .venv/bin/python bench/autosave.py [--seconds N]).

Starts the app under gunicorn (2 sync workers, as ``make run``) on a fresh SQLite file and a
fresh PostgreSQL database, and drives 20 writers through the real autosave endpoint (login,
CSRF token, the revision the page showed, the colleague's revision after a refusal, as the
page's script does) for a fixed time in three shapes:

- one question: 20 officers of one organisation on the same question;
- one assessment: 20 officers of one organisation, each on a question of their own;
- 20 organisations: one officer each, on their own assessment (the shared-server case).

For each it prints accepted saves per second, conflicts, p50/p99 latency, errors, and the
integrity check against the database (lost writes, saves sharing a base revision, drift of the
assessment's revision counter, stored answers that are not the last accepted): all 0 when
nothing is lost.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test harness: server, clients, integrity check

from common import PASSWORD, bench_app, port_with_officer  # noqa: E402

from assessment.db import get_session, make_engine  # noqa: E402
from assessment.migrate import upgrade  # noqa: E402
from assessment.services import assessments, users  # noqa: E402
from assessment.services.question_sets import import_question_set  # noqa: E402
from tests.load import Writer, check_integrity, run_writers, stored_revisions  # noqa: E402
from tests.server import gunicorn  # noqa: E402

WRITERS = 20
QUESTIONS = [f"q{n:02d}" for n in range(1, 21)]
POSTGRES_ADMIN = os.environ.get(
    "ASSESSMENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def seed(database_url: str) -> dict:
    """20 organisations with one officer and one assessment each; organisation 0 also has 19
    colleagues. Returns who is who and which assessment is whose."""
    upgrade(make_engine(database_url))
    app = bench_app(database_url)
    source = (ROOT / "tests" / "data" / "concurrency.yaml").read_bytes()
    with app.app_context():
        session = get_session()
        version = import_question_set(session, source, "concurrency.yaml").version.id
        people, own = [], []
        for n in range(WRITERS):
            email = f"officer{n:02d}@port{n:02d}.example"
            officer = port_with_officer(session, f"Port {n:02d}", email, f"Officer {n}")
            own.append(assessments.start_assessment(session, officer, "Bench", "", version).id)
            people.append(email)
        colleagues = [people[0]]
        for n in range(1, WRITERS):
            email = f"colleague{n:02d}@port00.example"
            first_org = users.find_by_email(session, people[0]).organisation_id
            users.create_user(
                session,
                None,
                users.UserData(email, f"Colleague {n}", "officer", first_org),
                PASSWORD,
                fast_hash=True,
            )
            colleagues.append(email)
    app.extensions["db_engine"].dispose()
    return {"officers": people, "colleagues": colleagues, "assessments": own}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def shape(name, base_url, database_url, assessment_ids, writers, seconds) -> None:
    before = {a: stored_revisions(database_url, a) for a in assessment_ids}
    runs = []
    if len(assessment_ids) == 1:
        runs.append(run_writers(base_url, writers, assessment_ids[0], "controls", seconds=seconds))
    else:  # one writer per assessment, all at once
        import threading

        results = [None] * len(writers)

        def one(i):
            results[i] = run_writers(
                base_url, [writers[i]], assessment_ids[i], "controls", seconds=seconds
            )

        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(writers))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        runs = results
    accepted = sum(len(r.accepted) for r in runs)
    conflicts = sum(r.conflicts for r in runs)
    errors = sum(len(r.errors) for r in runs)
    latencies = [x for r in runs for x in r.latencies]
    lost = shared = drift = wrong = 0
    for run, assessment_id in zip(runs, assessment_ids, strict=True):
        check = check_integrity(database_url, assessment_id, run, before[assessment_id])
        lost += check.lost_writes
        shared += check.shared_bases
        drift += check.counter_drift
        wrong += check.wrong_last
    print(
        f"  {name:<17} {accepted / seconds:7.1f} saves/s  conflicts {conflicts:5d}  "
        f"p50 {statistics.median(latencies) * 1000:6.1f} ms  "
        f"p99 {percentile(latencies, 0.99) * 1000:7.1f} ms  errors {errors}  |  "
        f"lost {lost}  shared base {shared}  counter drift {drift}  not last {wrong}"
    )


def bench(backend: str, database_url: str, seconds: float) -> None:
    people = seed(database_url)
    print(f"{backend}: {WRITERS} writers for {seconds:g} s each, gunicorn 2 sync workers")
    with gunicorn(database_url) as base_url:
        one_question = [Writer(e, PASSWORD, ("q01",)) for e in people["colleagues"]]
        shape(
            "one question",
            base_url,
            database_url,
            [people["assessments"][0]],
            one_question,
            seconds,
        )
        own_question = [
            Writer(e, PASSWORD, (QUESTIONS[i % len(QUESTIONS)],))
            for i, e in enumerate(people["colleagues"])
        ]
        shape(
            "one assessment",
            base_url,
            database_url,
            [people["assessments"][0]],
            own_question,
            seconds,
        )
        organisations_ = [Writer(e, PASSWORD, tuple(QUESTIONS)) for e in people["officers"]]
        shape(
            "20 organisations",
            base_url,
            database_url,
            people["assessments"],
            organisations_,
            seconds,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            bench("SQLite", f"sqlite:///{folder}/bench.db", args.seconds)
    if args.backend in ("postgresql", "both"):
        name = f"port_assess_bench_{secrets.token_hex(3)}"
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
            bench("PostgreSQL", url, args.seconds)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
