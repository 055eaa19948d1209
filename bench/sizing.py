"""The sizing figures of docs/deploy.md, measured on the running local cluster.

Run: .venv/bin/python bench/sizing.py pages|reports|database [options]
(after deploy/local-cluster.sh up; docs/deploy.md, "Sizing", says which cluster shape each
figure was measured with). Each prints the date and the machine's load first: on a shared
machine the figures are only as good as what else ran.

- ``pages``: an officer of an organisation with 20 assessments (one answered throughout) logs
  in over HTTPS; wrk (Debian package ``wrk``) drives /healthz (one ``SELECT 1``: the baseline
  of the same run), the assessment list and a section page, with the session cookie and
  User-Agent the session is bound to, both at one app server directly (its gunicorn workers
  are PORT_ASSESS_WEB_WORKERS of the environment file: the figure per app worker is its rate
  divided by them) and at the whole cluster through nginx over HTTPS. Each (target, page) is
  measured --rounds times in turn, so that a change in the machine's load falls on all alike;
  the median round is printed. Every page is first checked to answer 200 to that cookie (a
  redirect to the login page would be counted by wrk as a fast success).
- ``reports``: N organisations each ask for the report of an assessment of the default set
  answered throughout, at the same instant; the time until all are ready gives reports per
  minute, divided by the report workers running (their pid files in the cluster's state
  folder) for the figure per worker, and the stored PDFs' average size.
- ``database``: seeds organisations x assessments, each answered throughout with a comment on
  every answer (the shape of a real, finished assessment), and prints how much the database
  and its largest tables grew (pg_database_size, pg_total_relation_size), per 1,000
  assessments.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import PASSWORD, bench_app, default_version, port_with_officer  # noqa: E402
from faults import AGENT, ClusterClient, read_env, source_address  # noqa: E402

from assessment.db import get_session  # noqa: E402
from assessment.scoring.samples import sample_answers  # noqa: E402
from assessment.services import answers, assessments  # noqa: E402


def seed(database_url: str, label: str, orgs: int, per_org: int, comment: str) -> list:
    """``orgs`` organisations with one officer and ``per_org`` assessments of the default set,
    each answered throughout (mixed answers) with ``comment`` on every answer. Returns
    (officer e-mail, [assessment ids]) per organisation."""
    app = bench_app(database_url)
    seeded = []
    with app.app_context():
        session = get_session()
        version = default_version(session)
        question_set = assessments.question_set_of(version)
        inputs = [
            answers.AnswerInput(qid, answers.storable(a), comment.format(qid=qid))
            for qid, a in sample_answers(question_set, "mixed").items()
        ]
        for n in range(orgs):
            email = f"officer{n:04d}.{label}@sizing.example"
            port = f"Sizing {label} port {n:04d}"
            officer = port_with_officer(session, port, email, f"Officer {n}")
            ids = []
            for m in range(per_org):
                assessment = assessments.start_assessment(
                    session, officer, f"Assessment {m + 1}", "", version.id
                )
                answers.save_answers(session, officer, assessment, inputs)
                ids.append(assessment.id)
            seeded.append((email, ids))
    app.extensions["db_engine"].dispose()
    return seeded


def conditions() -> str:
    """When, and how busy the machine was: figures from a shared machine need both."""
    one, five, _ = os.getloadavg()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}; {os.cpu_count()} cores; load average {one:.1f} (1 min), {five:.1f} (5 min)"


def wrk(program: str, url: str, cookie: str, seconds: int, connections: int) -> dict:
    """wrk (``program``: its absolute path) against one URL: requests/s, p50, p99, non-2xx/3xx."""
    # The only values not fixed here are checked to be what they should: the URL (wrk's one
    # positional argument) an http(s) URL, so it cannot pass for an option such as -s (a Lua
    # script to run); the cookie printable text on one line (it is the value of -H).
    if not re.fullmatch(r"https?://[!-~]+", url) or not re.fullmatch(r"[ -~]+", cookie):
        raise ValueError(f"refusing to run wrk with {url!r} and that cookie")
    command = [program, "-t2", f"-c{int(connections)}", f"-d{int(seconds)}s", "--latency"]
    command += ["-H", f"Cookie: {cookie}", "-H", f"User-Agent: {AGENT}", url]
    # No shell; an absolute program path (shutil.which); every argument fixed or checked above.
    out = subprocess.run(  # noqa: S603 - arguments fixed or checked above, no shell
        command, capture_output=True, text=True, check=True
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": re.search(r"\s50%\s+(\S+)", out).group(1),
        "p99": re.search(r"\s99%\s+(\S+)", out).group(1),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def check_answers(url: str, cookie: str, context: ssl.SSLContext) -> None:
    """The page answers 200 to this cookie: not a redirect to the login page, not an error."""
    response = httpx.get(
        url, headers={"Cookie": cookie, "User-Agent": AGENT}, verify=context, timeout=60
    )
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code} to the benchmark's session")


def pages(env: dict, args) -> None:
    program = shutil.which("wrk")
    if not program:
        sys.exit("wrk is not installed: apt-get install wrk")
    label = secrets.token_hex(2)
    [(email, ids)] = seed(env["ASSESSMENT_DATABASE_URL"], label, 1, 20, "Sizing, {qid}.")
    base = env["PORT_ASSESS_PUBLIC_URL"]
    context = ssl.create_default_context(cafile=env["PORT_ASSESS_TLS_CERT"])
    client = ClusterClient(base, context, address=source_address(4, 0))
    client.login(email, PASSWORD)
    cookie = "; ".join(f"{k}={v}" for k, v in client.http.cookies.items())
    client.close()
    workers = int(env["PORT_ASSESS_WEB_WORKERS"])
    direct = f"http://{env['PORT_ASSESS_WEB_1']}"
    # A sync worker serves one request at a time: two connections per worker keep each busy
    # (more would only wait in the listen queue, adding latency, not requests/s).
    routes = {
        f"{direct} directly ({workers} gunicorn worker{'s' if workers > 1 else ''})": (
            direct,
            2 * workers,
        ),
        f"{base} (nginx, every app server)": (base, args.connections),
    }
    targets = {
        "/healthz (SELECT 1)": "/healthz",
        "assessment list (20)": "/assessments/",
        "section page": f"/assessments/{ids[0]}/sections/governance",
    }
    for prefix, _ in routes.values():
        for path in targets.values():
            check_answers(prefix + path, cookie, context)  # and warm: imports, caches
    print(f"{conditions()}; start")
    print(f"wrk -t2 -d{args.seconds}s, logged in; median of {args.rounds} rounds taken in turn")
    found: dict[tuple[str, str], list[dict]] = {}
    for _ in range(args.rounds):
        for route, (prefix, connections) in routes.items():
            for name, path in targets.items():
                figures = wrk(program, prefix + path, cookie, args.seconds, connections)
                found.setdefault((route, name), []).append(figures)
    for route, (_, connections) in routes.items():
        print(f"  {route}, {connections} connections:")
        for name in targets:
            taken = found[(route, name)]
            middle = median_round(taken)
            each = ", ".join(f"{f['rate']:.1f}" for f in taken)
            print(
                f"    {name:<22} {middle['rate']:8.1f} req/s  p50 {middle['p50']:>8}  "
                f"p99 {middle['p99']:>8}  non-2xx/3xx {sum(f['non2xx'] for f in taken)}  "
                f"(rounds: {each})"
            )
    section = median_round(found[(next(iter(routes)), "section page")])["rate"]
    print(f"  section page per app worker: {section / workers:.1f} req/s")
    print(f"{conditions()}; end")


def median_round(rounds: list[dict]) -> dict:
    """The round with the median rate (the upper one of an even count), latencies included."""
    return sorted(rounds, key=lambda f: f["rate"])[len(rounds) // 2]


def running_workers(state: Path) -> int:
    """Report workers of the cluster that run now (deploy/local-cluster.sh's pid files)."""
    count = 0
    for pid_file in (state / "run").glob("worker-*.pid"):
        try:
            os.kill(int(pid_file.read_text().strip()), 0)
        except (ValueError, ProcessLookupError, PermissionError):
            continue
        count += 1
    return count


def reports(env: dict, args) -> None:
    workers = running_workers(args.state)
    if not workers:
        sys.exit("no report worker runs: deploy/local-cluster.sh start worker-1")
    slots = int(env["ASSESSMENT_REPORT_WORKERS"])
    label = secrets.token_hex(2)
    database_url = env["ASSESSMENT_DATABASE_URL"]
    seeded = seed(database_url, label, args.count, 1, "Noted during the sizing run, {qid}.")
    base = env["PORT_ASSESS_PUBLIC_URL"]
    context = ssl.create_default_context(cafile=env["PORT_ASSESS_TLS_CERT"])
    clients = []
    for n, (email, _) in enumerate(seeded):
        client = ClusterClient(base, context, timeout=60, address=source_address(5, n))
        client.login(email, PASSWORD)
        clients.append(client)
    start = threading.Barrier(len(clients) + 1)
    pdfs: list[bytes] = []
    failed: list[str] = []

    def ask(client, assessment_id):
        start.wait()
        try:
            response = client.fetch_report(f"/assessments/{assessment_id}/report.pdf", 1800)
        except AssertionError as exc:  # the report failed (e.g. its render timed out)
            failed.append(str(exc))
            return
        pdfs.append(response.content)

    threads = [
        threading.Thread(target=ask, args=(c, ids[0]))
        for c, (_, ids) in zip(clients, seeded, strict=True)
    ]
    for thread in threads:
        thread.start()
    print(f"{conditions()}; start")
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - began
    for client in clients:
        client.close()
    print(f"{conditions()}; end")
    ok = [p for p in pdfs if p.startswith(b"%PDF")]
    rate = len(ok) / took * 60
    print(
        f"{len(ok)}/{args.count} reports (default set, answered throughout) ready in "
        f"{took:.1f} s with {workers} report worker{'s' if workers > 1 else ''} running "
        f"(ASSESSMENT_REPORT_WORKERS={slots} render{'s' if slots > 1 else ''} at once each): "
        f"{rate:.1f} reports/minute, {rate / workers:.1f} per worker; "
        f"average PDF {sum(map(len, ok)) / max(1, len(ok)) / 1024:.0f} KiB; failed {len(failed)}"
    )
    # Each render's own time, as the workers measured it (started -> finished).
    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(text(RENDER_SQL), {"ids": [ids[0] for _, ids in seeded]}).one()
    engine.dispose()
    if row.renders:
        print(
            f"  render time per report: average {row.average:.1f} s, longest {row.longest:.1f} s "
            f"({row.renders} ready, {row.failed} failed): {60 / row.average:.1f} reports/minute "
            f"per render slot (a worker has ASSESSMENT_REPORT_WORKERS slots)"
        )


RENDER_SQL = """
SELECT count(*) FILTER (WHERE status = 'ready') AS renders,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       avg(extract(epoch FROM finished_at - started_at)) FILTER (WHERE status = 'ready')
           AS average,
       max(extract(epoch FROM finished_at - started_at)) FILTER (WHERE status = 'ready')
           AS longest
FROM report WHERE assessment_id = ANY(:ids)
"""


SIZE_SQL = """
SELECT c.relname, pg_total_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = 'public'
"""


def sizes(engine) -> tuple[int, dict[str, int]]:
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        total = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        tables = dict(conn.execute(text(SIZE_SQL)).all())
    return total, tables


def database(env: dict, args) -> None:
    database_url = env["ASSESSMENT_DATABASE_URL"]
    engine = create_engine(database_url)
    before_total, before = sizes(engine)
    count = args.organisations * args.per_organisation
    print(f"{conditions()}; start")
    began = time.perf_counter()
    seed(
        database_url,
        secrets.token_hex(2),
        args.organisations,
        args.per_organisation,
        # A comment of a typical length on every answer (about 120 characters).
        "Checked with the terminal's IT lead on site; evidence in the ISMS folder, "
        "to be reviewed after the next audit ({qid}).",
    )
    took = time.perf_counter() - began
    after_total, after = sizes(engine)
    engine.dispose()
    per_thousand = 1000 / count
    print(f"{conditions()}; end")
    print(
        f"seeded {args.organisations} organisations x {args.per_organisation} assessments "
        f"= {count} assessments, each answered throughout, in {took:.0f} s"
    )
    print(
        f"  pg_database_size grew {(after_total - before_total) / 2**20:.1f} MiB: "
        f"{(after_total - before_total) * per_thousand / 2**20:.1f} MiB per 1,000 assessments"
    )
    grown = sorted(
        ((after[t] - before.get(t, 0), t) for t in after if after[t] > before.get(t, 0)),
        reverse=True,
    )
    for delta, table in grown[:6]:
        print(
            f"  {table:<22} +{delta / 2**20:7.1f} MiB "
            f"({delta * per_thousand / 2**20:.1f} MiB per 1,000 assessments)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["pages", "reports", "database"])
    parser.add_argument("--state", type=Path, default=ROOT / "deploy" / ".cluster")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16, help="through nginx")
    parser.add_argument("--rounds", type=int, default=3, help="of each page, taken in turn")
    parser.add_argument("--count", type=int, default=20, help="reports asked for at once")
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--per-organisation", type=int, default=10)
    args = parser.parse_args()
    env = read_env(args.state / "port-assess.env")
    {"pages": pages, "reports": reports, "database": database}[args.what](env, args)


if __name__ == "__main__":
    main()
