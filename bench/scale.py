"""Pages at 1 and at 1,000 organisations on PostgreSQL (run: .venv/bin/python bench/scale.py).

Makes PostgreSQL databases of its own (dropped at the end unless --keep), seeds them with
``port-assess seed``'s service (organisations with an officer and 5 fully answered assessments
of the shipped baseline each), serves it with gunicorn (1 sync worker, as ``make run`` starts
it) and times, one request at a time, what grows with data: the officer's assessment list,
section page and results page, and the administrator's assessment list, organisation list,
user list and audit log. Databases are seeded with 1 organisation, with --reference (100)
and with --organisations (1,000), each served by its own gunicorn; every page is requested
from each in turn, so a busy machine slows all alike and the ratios compare like with like in
one run. Target: every page within 1.5x of its 1-organisation time.

Why the middle size: the administrator's lists show a page of at most 50 rows (the audit log
50 events), and at 1 organisation they hold 1 to 12. Their time at 1,000 against 1 also
measures a full page against an almost empty one; against 100 organisations, where the pages
are already full, the ratio is what grows with the data alone.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test harness: server and client

from assessment import create_app, paths  # noqa: E402
from assessment.db import get_session, make_engine  # noqa: E402
from assessment.migrate import upgrade  # noqa: E402
from assessment.models import Assessment, AssessmentStatus  # noqa: E402
from assessment.passwords import hash_password  # noqa: E402
from assessment.services import seeding, users  # noqa: E402
from assessment.services.question_sets import import_question_set  # noqa: E402
from tests.http_client import WebClient  # noqa: E402
from tests.server import gunicorn  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery staple"  # noqa: S105 - the seeded bench accounts
ADMIN = "admin@scale.example"
OFFICER = "officer00001@seeded-port.example"
TARGET = 1.5


def create_database(admin_url: str) -> str:
    name = f"port_assess_scale_{secrets.token_hex(3)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = make_url(url).database
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Seeder:
    """The app's own services on the bench database."""

    def __init__(self, url: str):
        upgrade(make_engine(url))
        self.app = create_app(
            {"TESTING": True, "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url}
        )
        self.digest = hash_password(PASSWORD, fast=True)

    def start(self) -> None:
        with self.app.app_context():
            session = get_session()
            for source in paths.shipped_question_sets():
                import_question_set(session, source.read_bytes(), source.name)
            admin = users.UserData(ADMIN, "Scale Admin", "admin", None)
            users.create_user(session, None, admin, PASSWORD, fast_hash=True)

    def seed(self, organisations: int, assessments: int) -> float:
        started = time.perf_counter()

        def progress(done: int) -> None:
            if done % 100 == 0:
                print(f"    {done} of {organisations} organisations seeded", flush=True)

        with self.app.app_context():
            seeding.seed(get_session(), organisations, assessments, self.digest, progress=progress)
        engine = self.app.extensions["db_engine"]
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))  # and no autovacuum during the timing
        return time.perf_counter() - started

    def officer_pages(self) -> dict[str, str]:
        """The officer's pages: a completed assessment's results, the newest one's largest
        section (the newest is in progress, as a person answering it sees it)."""
        with self.app.app_context():
            session = get_session()
            user = users.find_by_email(session, OFFICER)
            mine = session.scalars(
                sa.select(Assessment)
                .where(Assessment.organisation_id == user.organisation_id)
                .order_by(Assessment.created_at)
            ).all()
            done = next(a for a in mine if a.status == AssessmentStatus.COMPLETED)
            newest = mine[-1]
            from assessment.services.records import question_set_of

            sets = question_set_of(newest.question_set_version)
            section = max(sets.sections, key=lambda s: len(s.questions)).id
        return {
            "officer: assessment list": "/assessments/",
            "officer: section page": f"/assessments/{newest.id}/sections/{section}",
            "officer: results page": f"/assessments/{done.id}/results",
        }


ADMIN_PAGES = {
    "admin: assessment list": "/assessments/",
    "admin: organisations": "/admin/organisations",
    "admin: users": "/admin/users",
    "admin: audit log": "/admin/audit",
}


def timed_get(client: WebClient, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.http.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return elapsed, len(response.content)


def measure(sites: list[dict], pages: list[str], requests: int) -> dict[str, list[dict]]:
    """For each page, ``requests`` GETs on each site in turn (1 org, 100, 1,000, 1 org, ...),
    after 2 to warm up: whatever else the machine does slows all alike."""
    results: dict[str, list[dict]] = {}
    for name in pages:
        role = "admin" if name.startswith("admin") else "officer"
        times: list[list[float]] = [[] for _ in sites]
        sizes = [0 for _ in sites]
        for round_ in range(requests + 2):
            for index, site in enumerate(sites):
                elapsed, sizes[index] = timed_get(site["clients"][role], site["pages"][name])
                if round_ >= 2:
                    times[index].append(elapsed)
        results[name] = [
            {"median": statistics.median(t), "p90": statistics.quantiles(t, n=10)[-1], "size": z}
            for t, z in zip(times, sizes, strict=True)
        ]
    return results


def prepare(admin_url: str, organisations: int, assessments: int) -> tuple[str, Seeder, float]:
    url = create_database(admin_url)
    seeder = Seeder(url)
    seeder.start()
    took = seeder.seed(organisations, assessments)
    return url, seeder, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument(
        "--reference", type=int, default=100, help="a middle size, with full pages (0: none)"
    )
    parser.add_argument("--assessments", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--postgres", default=POSTGRES, help="a URL to create databases with")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()
    counts = [1, *([args.reference] if args.reference else []), args.organisations]
    print(f"{conditions()}; start", flush=True)
    urls: list[str] = []
    settings = {"MFA_REQUIRED_FOR_ADMINS": "false", "REQUEST_LOG": "false"}
    try:
        sites = []
        for count in counts:
            print(f"seeding {count} organisations x {args.assessments} assessments ...", flush=True)
            url, seeder, took = prepare(args.postgres, count, args.assessments)
            urls.append(url)
            print(f"  {make_url(url).database}: seeded in {took:.0f} s", flush=True)
            sites.append({"pages": seeder.officer_pages() | ADMIN_PAGES})
            seeder.app.extensions["db_engine"].dispose()
        with contextlib.ExitStack() as stack:
            for site, url in zip(sites, urls, strict=True):
                base = stack.enter_context(gunicorn(url, workers=1, **settings))
                site["clients"] = {"officer": WebClient(base), "admin": WebClient(base)}
                site["clients"]["officer"].login(OFFICER, PASSWORD)
                site["clients"]["admin"].login(ADMIN, PASSWORD)
            names = list(sites[0]["pages"])
            results = measure(sites, names, args.requests)
        print(f"{conditions()}; end", flush=True)
    finally:
        if not args.keep:
            for url in urls:
                drop_database(args.postgres, url)
    report(results, args)


def conditions() -> str:
    """When, and how busy the machine was: figures from a shared machine need both."""
    one, five, _ = os.getloadavg()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}; {os.cpu_count()} cores; load average {one:.1f} (1 min), {five:.1f} (5 min)"


def report(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    n = args.organisations
    sizes = [1, *([args.reference] if args.reference else []), n]
    print(
        f"\nPostgreSQL, gunicorn 1 sync worker per site, {args.requests} requests per page and "
        f"site, alternating; {args.assessments} assessments per organisation; median (p90) ms; "
        f"ratios of the {n}-organisation median to the others'"
    )
    heads = "".join(f"{f'{k} org' + ('s' if k > 1 else ''):>16}" for k in sizes)
    ratios = "".join(f"{f'/{k}':>7}" for k in sizes[:-1])
    kilobytes = "".join(f"{f'KB {k}':>8}" for k in sizes)
    print(f"{'page':<26}{heads}{ratios}{kilobytes}")
    for name, sites in results.items():
        many = sites[-1]["median"]
        others = [site["median"] for site in sites[:-1]]
        times = "".join(f"{site['median']:7.1f} ({site['p90']:6.1f})" for site in sites)
        shares = "".join(f"{many / other:7.2f}" for other in others)
        weights = "".join(f"{site['size'] / 1024:8.0f}" for site in sites)
        flags = [
            f"over {TARGET}x of {size}"
            for size, other in zip(sizes[:-1], others, strict=True)
            if many / other > TARGET
        ]
        print(f"{name:<26}{times}{shares}{weights}{'  ' + ', '.join(flags) if flags else ''}")


if __name__ == "__main__":
    main()
