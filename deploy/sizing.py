"""The sizing figures of docs/deploy.md, measured on the running local cluster.

Run: .venv/bin/python deploy/sizing.py pages|reports|database [options]
(after deploy/local-cluster.sh up; docs/deploy.md, "Sizing", says which cluster shape each
figure was measured with).

- ``pages``: an officer of an organisation with 20 assessments (one answered throughout) logs
  in over HTTPS; wrk (Debian package ``wrk``) drives the assessment list, a section page and
  /healthz through nginx, with the session cookie and User-Agent the session is bound to.
- ``reports``: N organisations each ask for the report of an assessment of the default set
  answered throughout, at the same instant; the time until all are ready gives reports per
  minute (divide by the report workers running), and the stored PDFs' average size.
- ``database``: seeds organisations x assessments, each answered throughout with a comment on
  every answer (the shape of a real, finished assessment), and prints how much the database
  and its largest tables grew (pg_database_size, pg_total_relation_size), per 1,000
  assessments.
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from faults import AGENT, PASSWORD, ClusterClient, read_env, source_address  # noqa: E402

from assessment import create_app, paths  # noqa: E402
from assessment.db import get_session  # noqa: E402
from assessment.scoring.samples import sample_answers  # noqa: E402
from assessment.services import answers, assessments, organisations, users  # noqa: E402
from assessment.services.question_sets import import_question_set  # noqa: E402


def seed(database_url: str, label: str, orgs: int, per_org: int, comment: str) -> list:
    """``orgs`` organisations with one officer and ``per_org`` assessments of the default set,
    each answered throughout (mixed answers) with ``comment`` on every answer. Returns
    (officer e-mail, [assessment ids]) per organisation."""
    app = create_app(
        {"SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url, "TESTING": True}
    )
    source = paths.shipped_question_sets()[0]
    seeded = []
    with app.app_context():
        session = get_session()
        version = import_question_set(session, source.read_bytes(), source.name).version
        question_set = assessments.question_set_of(version)
        inputs = [
            answers.AnswerInput(qid, answers.storable(a), comment.format(qid=qid))
            for qid, a in sample_answers(question_set, "mixed").items()
        ]
        for n in range(orgs):
            org = organisations.create_organisation(
                session,
                None,
                organisations.OrganisationData(f"Sizing {label} port {n:04d}", "terminal", "NL"),
            )
            email = f"officer{n:04d}.{label}@sizing.example"
            officer = users.create_user(
                session,
                None,
                users.UserData(email, f"Officer {n}", "officer", org.id),
                PASSWORD,
                fast_hash=True,
            )
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


def wrk(program: str, url: str, cookie: str, seconds: int, connections: int) -> str:
    """wrk (``program``: its absolute path) against one URL; its figures on one line."""
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
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return (
        f"{float(rate):8.1f} req/s  p50 {p50:>8}  p99 {p99:>8}  "
        f"non-2xx {non2xx.group(1) if non2xx else 0}"
    )


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
    targets = {
        "/healthz (SELECT 1)": "/healthz",
        "assessment list (20)": "/assessments/",
        "section page": f"/assessments/{ids[0]}/sections/governance",
    }
    for path in targets.values():
        client.http.get(path).raise_for_status()  # warm: imports, caches
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s through nginx ({base}), logged in")
    for name, path in targets.items():
        figures = wrk(program, base + path, cookie, args.seconds, args.connections)
        print(f"  {name:<22} {figures}")


def reports(env: dict, args) -> None:
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
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - began
    for client in clients:
        client.close()
    ok = [p for p in pdfs if p.startswith(b"%PDF")]
    print(
        f"{len(ok)}/{args.count} reports (default set, answered throughout) ready in "
        f"{took:.1f} s: {len(ok) / took * 60:.1f} reports/minute with the workers running; "
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
            f"per render slot (ASSESSMENT_REPORT_WORKERS=1 is one slot per worker)"
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
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--count", type=int, default=20, help="reports asked for at once")
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--per-organisation", type=int, default=10)
    args = parser.parse_args()
    env = read_env(args.state / "port-assess.env")
    {"pages": pages, "reports": reports, "database": database}[args.what](env, args)


if __name__ == "__main__":
    main()
