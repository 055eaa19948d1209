"""Faults under load against the local cluster (run: .venv/bin/python bench/faults.py).

Needs the cluster of deploy/local-cluster.sh running; give it a short render timeout so that
the sweep that re-queues a killed worker's report (after 2 x timeout + 60 s) acts within the
run:

    ASSESSMENT_REPORT_TIMEOUT_SECONDS=40 deploy/local-cluster.sh up
    .venv/bin/python bench/faults.py

It seeds organisations of its own in the cluster's database (names carry the run's id, so runs
can be repeated): one officer who autosaves and, for some, a colleague who asks for the PDF
report, on an assessment of the default question set answered throughout. Everybody logs in
first, each from a loopback address of their own (127.0.1.x officers, 127.0.2.x colleagues),
as people of different organisations come from different networks. Then, while the officers
autosave through nginx over HTTPS (as the page's script does: CSRF token, Referer, the
revision the page showed) and reports are asked for and rendered:

1. SIGKILL one app server (web-8001) and one report worker (worker-1) as soon as worker-1 is
   rendering (it has a render child process), and start them again 10 s later
   (deploy/local-cluster.sh kill/start);
2. restart PostgreSQL (pg_ctlcluster --skip-systemctl-redirect 15 main restart). This is the
   machine's PostgreSQL, whose restart would cut other people's sessions too: it waits (up to
   --pg-wait seconds, the load going on) until no other database has a session;
3. go on saving for a while, stop, and wait for every report asked for to be made. A report
   is stuck if it waits while none has finished for 2 x timeout + 120 s + one timeout (the
   sweep's delay plus a render): a backlog that still moves is not stuck.

Probes watch /healthz through nginx and on each app server, and an officer's page through
nginx, every 0.1 s. It prints the timeline, then: saves accepted and what the database holds
(tests/load.check_integrity: 0 lost), reports asked for and how they ended (0 stuck), what
/healthz said while PostgreSQL restarted and when it said 200 again, and the status and
security headers of the answers given while the database was away. Exit status 0 (PASS) when
no accepted save was lost, no report stuck and no load thread died.

A save the client saw fail (502 from nginx, the app's error while the database was away, a
broken connection) may or may not have been stored: the writer then reloads its section, as an
officer reloading the page would, and a revision higher than the one it knew means it was
stored; such saves count as accepted for the integrity check (only this writer writes these
questions).
"""

from __future__ import annotations

import argparse
import re
import secrets
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test harness: clients, integrity check

from common import PASSWORD, bench_app, default_version, port_with_officer  # noqa: E402

from assessment.db import get_session  # noqa: E402
from assessment.models import Report  # noqa: E402
from assessment.scoring.samples import sample_answers  # noqa: E402
from assessment.services import answers, assessments, users  # noqa: E402
from tests.http_client import WebClient  # noqa: E402
from tests.load import Accepted, WritersRun, check_integrity, stored_revisions  # noqa: E402

CLUSTER = ROOT / "deploy" / "local-cluster.sh"
AGENT = "port-assess-faults"
SECTION = "governance"
# Questions of that section shown whatever the profile, answered yes/no in turn.
QUESTIONS = (
    "gov-accountable-person",
    "gov-port-community",
    "gov-policies",
    "gov-effectiveness-review",
    "gov-outage-cost-estimate",
)
REPORT_PATH = re.compile(r"/assessments/\d+/reports/(\d+)")
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


def read_env(path: Path) -> dict[str, str]:
    """The cluster's environment file (KEY=value or KEY="value")."""
    values = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Z_][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2).strip('"')
    return values


def cluster(*args: str) -> str:
    """deploy/local-cluster.sh with these arguments; its output."""
    done = subprocess.run(
        [str(CLUSTER), *args], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


# Seeding, through the app's services (as bench/autosave.py does)


@dataclass
class Organisation:
    officer: str
    reporter: str | None
    assessment_id: int


def seed(database_url: str, run: str, count: int, reporters: int) -> list[Organisation]:
    app = bench_app(database_url)
    seeded = []
    with app.app_context():
        session = get_session()
        version = default_version(session)  # imported by the cluster's `up`: found
        question_set = assessments.question_set_of(version)
        inputs = [
            answers.AnswerInput(qid, answers.storable(a), f"Seeded by the fault run, {qid}.")
            for qid, a in sample_answers(question_set, "mixed").items()
        ]
        for n in range(count):
            email = f"officer{n:02d}.{run}@faults.example"
            port = f"Fault run {run} port {n:02d}"
            officer = port_with_officer(session, port, email, f"Officer {n}")
            reporter = f"reporter{n:02d}.{run}@faults.example" if n < reporters else None
            if reporter:  # a colleague in the same organisation, who asks for the report
                colleague = users.UserData(
                    reporter, f"Officer {n}", "officer", officer.organisation_id
                )
                users.create_user(session, None, colleague, PASSWORD, fast_hash=True)
            assessment = assessments.start_assessment(
                session, officer, f"Fault run {run}", "", version.id
            )
            answers.save_answers(session, officer, assessment, inputs)
            seeded.append(Organisation(email, reporter, assessment.id))
    app.extensions["db_engine"].dispose()
    return seeded


# Clients over HTTPS, trusting the cluster's self-signed certificate


def source_address(group: int, n: int) -> str:
    """A loopback address of its own for the n-th client of a group: people of different
    organisations come from different networks, and the app limits logins per address (30
    per 15 minutes by default), which one address for every simulated person would exhaust."""
    return f"127.0.{group}.{n % 250 + 1}"


class ClusterClient(WebClient):
    """WebClient over HTTPS: the cluster's certificate, a browser's User-Agent (the session is
    bound to it) and Referer (over HTTPS the app's CSRF check requires a same-origin one, which
    browsers send with Referrer-Policy: same-origin), from ``address`` (see source_address)."""

    def __init__(
        self,
        base_url: str,
        context: ssl.SSLContext,
        timeout: float = 30,
        address: str | None = None,
    ):
        super().__init__(base_url, timeout=timeout)
        self.http.close()
        self.http = httpx.Client(
            base_url=base_url,
            follow_redirects=False,
            timeout=timeout,
            transport=httpx.HTTPTransport(verify=context, local_address=address),
            headers={"User-Agent": AGENT, "Referer": base_url + "/"},
        )


def describe(error: Exception | int) -> str:
    return f"HTTP {error}" if isinstance(error, int) else type(error).__name__


@dataclass
class Load:
    """What the officers did, shared by their threads."""

    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    runs: dict[int, WritersRun] = field(default_factory=dict)  # per assessment
    failed: Counter = field(default_factory=Counter)  # saves the client saw fail, by cause
    stored_anyway: int = 0  # of those, found stored when the writer reloaded its section
    reports: dict[int, int] = field(default_factory=dict)  # report id -> assessment id
    report_errors: Counter = field(default_factory=Counter)
    report_requests: int = 0
    crashed: list[str] = field(default_factory=list)  # a load thread that died: the run FAILS


def guarded(load: Load, name: str, target, *args) -> None:
    """Run a load thread's body; an exception is recorded (a writer that died would otherwise
    just stop saving, and an integrity check of fewer saves would still pass)."""
    try:
        target(*args)
    except Exception as exc:  # noqa: BLE001 - recorded, and the run fails on it
        with load.lock:
            load.crashed.append(f"{name}: {type(exc).__name__}: {exc}")


def writer(client: ClusterClient, org: Organisation, index: int, load: Load) -> None:
    """One officer (logged in) saving its questions in turn until told to stop; after a failed
    save it reloads the section (until that works) and learns whether the save was stored."""
    run = load.runs[org.assessment_id]
    known = client.revisions(org.assessment_id, SECTION)
    count = 0
    while not load.stop.is_set():
        question = QUESTIONS[count % len(QUESTIONS)]
        comment = f"writer {index} save {count}"
        base_revision = known.get(question, 0)
        started = time.perf_counter()
        try:
            saved = client.autosave(
                org.assessment_id,
                SECTION,
                question,
                "yes" if count % 2 else "no",
                comment,
                base_revision,
            )
            outcome = saved.status
        except httpx.HTTPError as exc:
            saved, outcome = None, exc
        elapsed = time.perf_counter() - started
        count += 1
        if saved is not None and saved.status == 200 and question in saved.body.get("saved", {}):
            revision = saved.body["saved"][question]["revision"]
            with load.lock:
                run.accepted.append(Accepted(question, comment, base_revision, revision))
                run.latencies.append(elapsed)
            known[question] = revision
            continue
        if (
            saved is not None
            and saved.status == 409
            and question in saved.body.get("conflicts", {})
        ):
            with load.lock:  # nobody else writes these questions: a conflict is a finding
                run.conflicts += 1
            known[question] = saved.body["conflicts"][question]["revision"]
            continue
        with load.lock:
            load.failed[describe(outcome)] += 1
        fresh = reload_section(client, org.assessment_id, load)
        if fresh is None:
            break
        if fresh.get(question, 0) > base_revision:  # it was stored after all
            with load.lock:
                load.stored_anyway += 1
                run.accepted.append(Accepted(question, comment, base_revision, fresh[question]))
        known = fresh
    client.close()


def reload_section(client: ClusterClient, assessment_id: int, load: Load) -> dict | None:
    while True:
        try:
            return client.revisions(assessment_id, SECTION)
        except httpx.HTTPError:
            if load.stop.is_set():
                return None
            time.sleep(0.2)  # the app or its database is away: try again shortly


def reporter(client: ClusterClient, org: Organisation, load: Load, every: float) -> None:
    """A colleague (logged in) asking for the report every few seconds (under the per-person
    limit of 10 a minute): the answers keep changing, so each request is a new report."""
    while not load.stop.wait(every):
        try:
            response = client.http.get(f"/assessments/{org.assessment_id}/report.pdf")
        except httpx.HTTPError as exc:
            with load.lock:
                load.report_errors[describe(exc)] += 1
            continue
        with load.lock:
            load.report_requests += 1
            match = REPORT_PATH.search(response.headers.get("Location", ""))
            if response.status_code == 303 and match:
                load.reports[int(match.group(1))] = org.assessment_id
            elif response.status_code != 200:
                load.report_errors[describe(response.status_code)] += 1
    client.close()


# Probes: what a load balancer and a person saw, every 0.1 s


@dataclass(frozen=True)
class Probe:
    at: float
    target: str
    outcome: str  # "200", "503", "ConnectError", ...
    csp: bool
    nosniff: bool
    body: str


def prober(name: str, client: httpx.Client, path: str, started: float, out: list, stop) -> None:
    while not stop.wait(0.1):
        at = time.monotonic() - started
        try:
            response = client.get(path)
        except httpx.HTTPError as exc:
            out.append(Probe(at, name, type(exc).__name__, False, False, ""))
            continue
        headers = response.headers
        out.append(
            Probe(
                at,
                name,
                str(response.status_code),
                "content-security-policy" in headers,
                headers.get("x-content-type-options") == "nosniff",
                "" if response.status_code == 200 else gist(response.text),
            )
        )


def gist(body: str) -> str:
    """What an answer that is not 200 says: its HTML title, or its beginning."""
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    return (title.group(1) if title else body[:60]).strip().replace("\n", " ")


# The run


class Timeline:
    def __init__(self):
        self.started = time.monotonic()
        self.events: list[tuple[float, str]] = []

    def now(self) -> float:
        return time.monotonic() - self.started

    def say(self, message: str) -> None:
        self.events.append((self.now(), message))
        print(f"  t+{self.now():6.1f} s  {message}", flush=True)


def render_children(state: Path, name: str) -> list[int]:
    """The render processes a report worker has forked right now (children of its pid)."""
    pid = (state / "run" / f"{name}.pid").read_text().strip()
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == pid:
            children.append(int(stat.parent.name))
    return children


def other_postgres_clients(engine) -> Counter:
    """Sessions of other databases on this PostgreSQL, which its restart interrupts too."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT datname FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND datname IS DISTINCT FROM current_database()"
            )
        ).scalars()
        return Counter(rows)


def rendering_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM report WHERE status = 'rendering'")).scalar()


def watch_reports(engine, assessment_ids: list[int], seen: dict, stop) -> None:
    """Every report of the run's assessments: the last status, attempts and error seen. A
    newer ready report deletes the finished older ones of its assessment, so they are watched
    as they go; one that disappears was finished (only finished reports are deleted)."""
    query = select(Report.id, Report.status, Report.attempts, Report.error).where(
        Report.assessment_id.in_(assessment_ids)
    )
    while not stop.wait(0.5):
        try:
            with engine.connect() as conn:
                rows = conn.execute(query).all()
        except Exception:  # noqa: BLE001, S112 - the database is being restarted: look again
            continue
        present = set()
        for report_id, status, attempts, error in rows:
            seen[report_id] = (status, attempts, error)
            present.add(report_id)
        for report_id, (status, attempts, error) in list(seen.items()):
            if report_id not in present and status in ("queued", "rendering"):
                seen[report_id] = ("finished, then superseded", attempts, error)


def summarise_probes(probes: list[Probe], start: float, end: float) -> dict[str, Counter]:
    by_target: dict[str, Counter] = defaultdict(Counter)
    for probe in probes:
        if start <= probe.at <= end:
            by_target[probe.target][probe.outcome] += 1
    return by_target


def print_database_away(probes: list[Probe], pg_from: float, pg_to: float, settle: float):
    """What the probes were answered while PostgreSQL restarted, and when it was over."""
    down = [p for p in probes if pg_from <= p.at <= pg_to + 3 and p.outcome != "200"]
    answered = [p for p in down if p.outcome.isdigit()]
    print(
        f"  while the database was away: {len(down)} probe answers were not 200; "
        f"statuses {dict(Counter(p.outcome for p in down)) or 'none'}; of the {len(answered)} "
        f"HTTP answers, {sum(p.csp for p in answered)} carried Content-Security-Policy and "
        f"{sum(p.nosniff for p in answered)} X-Content-Type-Options: nosniff"
    )
    for target, outcome, body in sorted({(p.target, p.outcome, p.body) for p in answered}):
        print(f"    e.g. {target}: {outcome} {body!r}")
    # Recovery: the first 200 of /healthz through nginx after its last failure around the
    # restart, counted from the moment the restart began.
    around = [p for p in probes if p.target == "nginx /healthz" and p.at >= pg_from]
    failures = [p.at for p in around if p.outcome != "200" and p.at <= pg_to + settle]
    if not failures:
        print("  /healthz through nginx answered 200 throughout the restart")
        return
    first_ok = next((p.at for p in around if p.at > failures[-1] and p.outcome == "200"), None)
    print(
        f"  /healthz through nginx: first failure {failures[0] - pg_from:.1f} s after the "
        "restart began, 200 again for good "
        + (f"{first_ok - pg_from:.1f} s after it began" if first_ok else "NEVER")
        + f" (pg_ctlcluster took {pg_to - pg_from:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="Exit status 0 (PASS) when no accepted answer was lost, no report was left "
        "stuck and PostgreSQL was restarted; 1 FAIL; 2 PostgreSQL restart skipped.",
    )
    parser.add_argument("--state", type=Path, default=ROOT / "deploy" / ".cluster")
    parser.add_argument("--organisations", type=int, default=12, help="officers autosaving")
    parser.add_argument("--reporters", type=int, default=4, help="colleagues asking for reports")
    parser.add_argument("--report-every", type=float, default=20.0, help="seconds between asks")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds between faults")
    parser.add_argument(
        "--pg-wait",
        type=float,
        default=600.0,
        help="seconds to wait for other databases of this PostgreSQL to be idle before "
        "restarting it (the restart cuts their sessions); still busy: skipped, exit status 2",
    )
    args = parser.parse_args()
    if not 1 <= args.reporters <= args.organisations:
        parser.error("--reporters must be between 1 and --organisations")

    env = read_env(args.state / "port-assess.env")
    base = env["PORT_ASSESS_PUBLIC_URL"]
    database_url = env["ASSESSMENT_DATABASE_URL"]
    timeout = float(env["ASSESSMENT_REPORT_TIMEOUT_SECONDS"])
    # The sweep runs each minute and re-queues renders older than 2 x timeout + 60 s.
    requeue_within = 2 * timeout + 60 + 60
    # Stuck: reports wait and none has finished for longer than the sweep needs to put back
    # what a killed worker left, plus a render. A backlog that still moves is not stuck.
    quiet_limit = requeue_within + timeout
    context = ssl.create_default_context(cafile=env["PORT_ASSESS_TLS_CERT"])
    engine = create_engine(database_url, pool_pre_ping=True)
    run = secrets.token_hex(2)

    print(f"Fault run {run} against {base} (status before:)")
    print(cluster("status"))
    seeded = seed(database_url, run, args.organisations, args.reporters)
    ids = [o.assessment_id for o in seeded]
    before = {a: stored_revisions(database_url, a) for a in ids}
    load = Load(runs={a: WritersRun() for a in ids})
    print(
        f"Seeded {len(seeded)} organisations (assessments {ids[0]}..{ids[-1]}); "
        f"{args.organisations} officers autosave, {args.reporters} ask for a report every "
        f"{args.report_every:g} s; report timeout {timeout:g} s, so a killed render is "
        f"re-queued within {requeue_within:g} s"
    )

    # Everybody logs in first: a login refused here stops the run, instead of a thread.
    def logged_in(email: str, address: str, timeout: float = 30) -> ClusterClient:
        client = ClusterClient(base, context, timeout=timeout, address=address)
        client.login(email, PASSWORD)
        return client

    writers = [logged_in(o.officer, source_address(1, i)) for i, o in enumerate(seeded)]
    reporters = [
        (logged_in(o.reporter, source_address(2, i)), o) for i, o in enumerate(seeded) if o.reporter
    ]
    page_client = logged_in(seeded[0].officer, source_address(3, 0), timeout=5)

    timeline = Timeline()
    probes: list[Probe] = []
    probe_stop = threading.Event()
    watch_stop = threading.Event()
    seen: dict[int, tuple[str, int, str | None]] = {}
    web = (env["PORT_ASSESS_WEB_1"], env["PORT_ASSESS_WEB_2"])  # the killed one is the first
    probe_clients = {
        "nginx /healthz": (httpx.Client(base_url=base, verify=context, timeout=5), "/healthz"),
        "web-8001 /healthz": (httpx.Client(base_url=f"http://{web[0]}", timeout=5), "/healthz"),
        "web-8002 /healthz": (httpx.Client(base_url=f"http://{web[1]}", timeout=5), "/healthz"),
        "nginx /assessments/": (page_client.http, "/assessments/"),
    }
    threads = [
        threading.Thread(
            target=prober, args=(name, c, p, timeline.started, probes, probe_stop), daemon=True
        )
        for name, (c, p) in probe_clients.items()
    ]
    threads.append(
        threading.Thread(target=watch_reports, args=(engine, ids, seen, watch_stop), daemon=True)
    )
    workers = [
        threading.Thread(
            target=guarded, args=(load, f"writer {i}", writer, c, o, i, load), daemon=True
        )
        for i, (c, o) in enumerate(zip(writers, seeded, strict=True))
    ] + [
        threading.Thread(
            target=guarded,
            args=(load, f"reporter {i}", reporter, c, o, load, args.report_every),
            daemon=True,
        )
        for i, (c, o) in enumerate(reporters)
    ]
    for thread in threads + workers:
        thread.start()
    timeline.say("load started")

    # 1. An app server and a report worker die (SIGKILL), the worker in the middle of a render.
    time.sleep(args.settle)
    deadline = time.monotonic() + 90
    while not render_children(args.state, "worker-1") and time.monotonic() < deadline:
        time.sleep(0.1)
    children = render_children(args.state, "worker-1")
    timeline.say(
        f"{rendering_count(engine)} report(s) rendering; worker-1 "
        + (f"renders (child pid {children[0]})" if children else "is idle (none within 90 s)")
    )
    timeline.say(cluster("kill", "web-8001").removeprefix("local-cluster: "))
    timeline.say(cluster("kill", "worker-1").removeprefix("local-cluster: "))
    killed_at = timeline.now()
    time.sleep(10)
    timeline.say(cluster("start", "web-8001").splitlines()[-1].removeprefix("local-cluster: "))
    timeline.say(cluster("start", "worker-1").splitlines()[-1].removeprefix("local-cluster: "))
    restarted_at = timeline.now()

    # 2. PostgreSQL restarts under load: once no other database of this PostgreSQL is in use
    # (the restart would cut other people's sessions too), within --pg-wait seconds.
    time.sleep(args.settle)
    others = other_postgres_clients(engine)
    if others:
        timeline.say(f"PostgreSQL: other databases in use {dict(others)}: waiting for them")
        wait_until = time.monotonic() + args.pg_wait
        while others and time.monotonic() < wait_until:
            time.sleep(1)
            others = other_postgres_clients(engine)
    pg_from = pg_to = None
    if others:
        timeline.say(f"PostgreSQL restart SKIPPED: other databases still in use {dict(others)}")
    else:
        timeline.say("PostgreSQL: " + " ".join(PG_RESTART))
        pg_from = timeline.now()
        subprocess.run(PG_RESTART, check=True, timeout=120)
        pg_to = timeline.now()
        timeline.say(f"PostgreSQL restarted ({pg_to - pg_from:.1f} s)")

    # 3. Calm: every writer saves each of its questions again, so the last save of each is one
    # the client saw accepted, then everything stops and the reports are waited for.
    time.sleep(args.settle)
    load.stop.set()
    for thread in workers:
        thread.join(timeout=120)
    timeline.say(
        f"load stopped: waiting for the {len(load.reports)} reports asked for (stuck if "
        f"none finishes for {quiet_limit:g} s)"
    )
    requested = set(load.reports)
    finished, progress_at = -1, time.monotonic()
    while True:
        pending = [r for r in requested if seen.get(r, ("queued",))[0] in ("queued", "rendering")]
        if not pending:
            break
        if len(requested) - len(pending) != finished:
            finished, progress_at = len(requested) - len(pending), time.monotonic()
        elif time.monotonic() - progress_at > quiet_limit:
            break
        time.sleep(1)
    timeline.say(f"reports: {len(requested) - len(pending)} of {len(requested)} finished")
    probe_stop.set()
    watch_stop.set()
    for thread in threads:
        thread.join(timeout=10)
    for client in [*writers, *(c for c, _ in reporters), page_client]:
        client.close()

    # The report
    print("\nAutosaves (through nginx, HTTPS):")
    accepted = sum(len(r.accepted) for r in load.runs.values())
    conflicts = sum(r.conflicts for r in load.runs.values())
    failed = sum(load.failed.values())
    print(
        f"  {accepted} accepted (of which {load.stored_anyway} seen failing by the client "
        f"but found stored on reload), {conflicts} refused as conflicts, {failed} failed: "
        f"{dict(load.failed) or 'none'}"
    )
    lost = shared = drift = wrong = 0
    for assessment_id, writers_run in load.runs.items():
        check = check_integrity(database_url, assessment_id, writers_run, before[assessment_id])
        lost += check.lost_writes
        shared += check.shared_bases
        drift += check.counter_drift
        wrong += check.wrong_last
    print(
        f"  integrity (tests/load.check_integrity, {len(ids)} assessments): lost {lost}, "
        f"shared base {shared}, counter drift {drift}, stored answer not the last accepted "
        f"{wrong}"
    )
    for crash in load.crashed:
        print(f"  LOAD THREAD DIED: {crash}")

    print("\nReports:")
    final = Counter(seen.get(r, ("never seen",))[0] for r in requested)
    retried = sum(1 for r in requested if seen.get(r, ("", 0))[1] > 1)
    errors = Counter(seen[r][2] for r in requested if r in seen and seen[r][0] == "failed")
    stuck = final["queued"] + final["rendering"] + final["never seen"]
    print(
        f"  {load.report_requests} asked for ({len(requested)} new reports, the rest already "
        f"made), request errors {dict(load.report_errors) or 'none'}"
    )
    print(
        f"  ended: {dict(final)}; rendered more than once (a killed worker's, re-queued): "
        f"{retried}; STUCK: {stuck}"
    )
    for error, count in errors.items():
        print(f"  failed ({count}): {error}")

    print("\nProbes (every 0.1 s):")
    windows = {"web-8001 and worker-1 killed": (killed_at, restarted_at + 5)}
    if pg_from is not None:
        windows["PostgreSQL restarting"] = (pg_from, pg_to + 3)
        windows["after the PostgreSQL restart"] = (pg_to + 3, pg_to + 3 + args.settle)
    for label, (start, end) in windows.items():
        print(f"  {label} (t+{start:.1f} to t+{end:.1f} s):")
        for target, outcomes in sorted(summarise_probes(probes, start, end).items()):
            print(f"    {target:<22} {dict(outcomes)}")
    if pg_from is not None:
        print_database_away(probes, pg_from, pg_to, args.settle)
    engine.dispose()
    ok = lost == 0 and wrong == 0 and stuck == 0 and not load.crashed
    verdict = "PASS" if ok else "FAIL"
    if ok and pg_from is None:
        verdict = "INCOMPLETE (PostgreSQL was not restarted)"
    print(
        f"\nResult: lost answers {lost}, stuck reports {stuck}, load threads died "
        f"{len(load.crashed)}: {verdict}"
    )
    sys.exit(0 if verdict == "PASS" else 1 if not ok else 2)


if __name__ == "__main__":
    main()
