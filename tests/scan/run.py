"""``make scan``: attack a running app with wapiti and sqlmap, on 127.0.0.1 only.

The app runs under gunicorn with a scan configuration: a throwaway SQLite database seeded
with two organisations and their assessments, plain-HTTP cookies, and rate limits raised so
the scanners are not locked out. The scanners log in as an officer of the first organisation
(officers need no second factor unless their organisation requires it). Reports and a summary
go under instance/scan/. Each scanner is bounded in time.

Run: .venv/bin/python -m tests.scan.run [--minutes N]   (the scanners come from .venv-scan)
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "instance" / "scan"
SCAN_BIN = ROOT / ".venv-scan" / "bin"
OFFICER, PASSWORD = "scan.officer@aldport.example", "scanning passphrase for the officer"
# Everything that works against 127.0.0.1 alone: ssrf, xxe and their kin need wapiti's own
# server on the internet, which a port network (and this scan) must not reach.
WAPITI_MODULES = (
    "sql,timesql,xss,permanentxss,exec,file,crlf,redirect,upload,csrf,csp,"
    "cookieflags,http_headers,methods,backup,htaccess"
)


def seed(database_url: str) -> dict:
    """Two organisations, an officer each, the shipped question set, assessments with
    answers (some comments), so every page the scanners reach has data behind it."""
    from assessment import create_app, paths
    from assessment.db import get_session
    from assessment.migrate import upgrade
    from assessment.services import answers, assessments, organisations, question_sets, users

    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "FAST_PASSWORD_HASH": True,
        }
    )
    upgrade(app.extensions["db_engine"])
    with app.app_context():
        session = get_session()
        ids = {}
        for name, email in (
            ("Port of Aldport", OFFICER),
            ("Bexley Container Terminal", "scan.b@bexley.example"),
        ):
            org = organisations.create_organisation(
                session, None, organisations.OrganisationData(name, "terminal", "NL")
            )
            officer = users.create_user(
                session,
                None,
                users.UserData(email, name + " officer", "officer", org.id),
                PASSWORD,
                fast_hash=True,
            )
            path = paths.questionnaires_dir() / "port-cyber-baseline.yaml"
            version = question_sets.import_question_set(
                session, path.read_bytes(), path.name
            ).version
            assessment = assessments.start_assessment(
                session, officer, f"{name} 2026", "Whole port", version.id
            )
            answers.save_answers(
                session,
                officer,
                assessment,
                [
                    answers.AnswerInput("profile-containers", "yes"),
                    answers.AnswerInput("release-pin-only", "partly", "Two lanes still on PINs"),
                ],
            )
            ids[name] = assessment.id
    app.extensions["db_engine"].dispose()
    return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(database_url: str, port: int) -> subprocess.Popen:
    env = {
        "PATH": "/usr/bin:/bin",
        "ASSESSMENT_SECRET_KEY": secrets.token_hex(32),
        "ASSESSMENT_DATABASE_URL": database_url,
        "ASSESSMENT_FAST_PASSWORD_HASH": "true",
        "ASSESSMENT_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        "ASSESSMENT_LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "ASSESSMENT_REPORT_LIMIT_PER_USER": "100000 per minute",
    }
    log = (OUT / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "assessment:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)  # waiting for the port to open, with a deadline
    process.kill()
    raise SystemExit("gunicorn did not start; see instance/scan/gunicorn.log")


def log_in(base: str) -> str:
    """The session cookie of a logged-in officer, as a browser would get it."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"email": OFFICER, "password": PASSWORD, "csrf_token": token}
    ).encode()
    opener.open(f"{base}/login", data=body)
    cookie = next((c.value for c in jar if c.name == "session"), None)
    if cookie is None:
        raise SystemExit("could not log in for the scan")
    return cookie


def run(command: list[str], seconds: int, log_name: str) -> int:
    print("$", " ".join(command[:3]), "...", flush=True)
    with (OUT / log_name).open("w") as log:
        try:
            return subprocess.run(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,  # noqa: S603
                timeout=seconds,
                cwd=OUT,
                check=False,
            ).returncode
        except subprocess.TimeoutExpired:
            log.write(f"\n[scan] stopped after {seconds} s\n")
            return -1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=10, help="time for each scanner")
    args = parser.parse_args()
    if not (SCAN_BIN / "wapiti").exists() or not (SCAN_BIN / "sqlmap").exists():
        raise SystemExit("the scanners are missing: run `make scan`, which installs them")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    database_url = f"sqlite:///{OUT / 'scan.db'}"
    ids = seed(database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(database_url, port)
    seconds = args.minutes * 60
    try:
        cookie = log_in(base)
        own = ids["Port of Aldport"]
        modules = WAPITI_MODULES.count(",") + 1
        run(
            [
                str(SCAN_BIN / "wapiti"),
                "-u",
                f"{base}/",
                "--scope",
                "domain",
                "-C",
                f"session={cookie}",
                "-x",
                f"{base}/logout",
                "-m",
                WAPITI_MODULES,
                "--max-scan-time",
                str(seconds),
                "--max-attack-time",
                str(max(30, seconds // modules)),  # bounds each module
                "-d",
                "4",
                "--max-links-per-page",
                "40",
                "--tasks",
                "4",
                "--flush-session",
                "--store-session",
                str(OUT / "wapiti-session"),
                "-f",
                "json",
                "-o",
                str(OUT / "wapiti.json"),
            ],
            seconds * 2 + 120,
            "wapiti.log",
        )
        sqlmap = [
            str(SCAN_BIN / "sqlmap"),
            "--batch",
            "--level",
            "2",
            "--risk",
            "1",
            "--output-dir",
            str(OUT / "sqlmap"),
            "--disable-coloring",
            "--time-sec",
            "2",
            "--dbms",
            "SQLite",
        ]
        logged_in = [*sqlmap, "--cookie", f"session={cookie}"]
        share = max(60, seconds // 2)
        run(
            [*logged_in, "-u", f"{base}/assessments/{own}/review?show=all"],
            share,
            "sqlmap-review.log",
        )
        run([*logged_in, "-u", f"{base}/assessments/{own}*/results"], share, "sqlmap-path.log")
        # The section form, posted as the page does (not --forms: that would also post the
        # logout form and end the session). The token is read afresh from the page.
        section = f"{base}/assessments/{own}/sections/container-release"
        question = "release-pin-only"
        data = (
            f"q={question}&v:{question}=1&o:{question}=x&a:{question}=partly&"
            f"c:{question}=scan&csrf_token=x"
        )
        run(
            [
                *logged_in,
                "-u",
                section,
                "--data",
                data,
                "--csrf-token",
                "csrf_token",
                "--csrf-url",
                section,
                "-p",
                f"a:{question},c:{question},q",
            ],
            share,
            "sqlmap-section-form.log",
        )
        run(
            [*sqlmap, "--forms", "--csrf-token", "csrf_token", "-u", f"{base}/login"],
            share,
            "sqlmap-login-form.log",
        )  # anonymous: the login form itself
    finally:
        server.terminate()
        server.wait(timeout=10)
    summarise()


def summarise() -> None:
    lines = ["port-assess scan summary", ""]
    report = OUT / "wapiti.json"
    if report.exists():
        data = json.loads(report.read_text())
        for kind in ("vulnerabilities", "anomalies", "additionals"):
            for category, items in sorted(data.get(kind, {}).items()):
                if items:
                    label = {
                        "vulnerabilities": "vulnerability",
                        "anomalies": "anomaly",
                        "additionals": "information",
                    }[kind]
                    lines.append(f"wapiti {label}: {category}: {len(items)}")
                    lines += [
                        f"    {i.get('method', '')} {i.get('path', '')} "
                        f"{i.get('parameter', '')}: {i.get('info', '')[:160]}"
                        for i in items[:5]
                    ]
        crawled = data.get("infos", {}).get("crawled_pages_nbr", "an unknown number of")
        lines.append(f"wapiti crawled {crawled} pages")
    else:
        lines.append("wapiti wrote no report (stopped by the time bound?): see wapiti.log")
    for log in sorted(OUT.glob("sqlmap-*.log")):
        text = log.read_text(errors="replace")
        injectable = re.findall(
            r"parameter '([^']+)' (?:is|might be) (?:vulnerable|injectable)", text
        )
        if injectable:
            verdict = f"INJECTABLE: {sorted(set(injectable))}"
        elif "[scan] stopped after" in text:
            verdict = "stopped by the time bound before a verdict (raise SCAN_MINUTES)"
        elif "all tested parameters do not appear to be injectable" in text:
            verdict = "no injection found"
        else:
            verdict = "no verdict: see the log"
        lines.append(f"sqlmap {log.stem.removeprefix('sqlmap-')}: {verdict}")
    errors = (OUT / "gunicorn.log").read_text(errors="replace").count("Traceback")
    lines.append(f"server tracebacks during the scan: {errors}")
    (OUT / "summary.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
