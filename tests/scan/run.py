"""``make scan``: attack a running app with wapiti and sqlmap, logged in, on 127.0.0.1 only.

The app runs under gunicorn with a scan configuration: a throwaway SQLite database seeded with
two organisations, an officer each, their assessments, an administrator (with a second factor
whose recovery codes the scan holds) and a draft question set, plain-HTTP cookies, and limits
raised so the scanners are not locked out.

A session is bound to the User-Agent that logged in, so the scan logs in with exactly the
User-Agent wapiti and sqlmap are given (``SCAN_USER_AGENT``), checks with those settings that
an authenticated page answers (and stops, loudly, if not), and checks again after each scanner.
wapiti crawls and attacks the officer's pages, then the administrator's; sqlmap attacks chosen
parameters (review filter, path id, section form, an editor form, the login form). Every
scanner is bounded in time. ``coverage.py`` reads what was really tested (authenticated URLs and
parameters, redirects to the login page) into instance/scan/summary.txt.

Run: .venv/bin/python -m tests.scan.run [--minutes N]   (the scanners come from .venv-scan)
"""

from __future__ import annotations

import argparse
import http.client
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyotp

from . import coverage

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "instance" / "scan"
SCAN_BIN = ROOT / ".venv-scan" / "bin"
PASSWORD = "scanning passphrase for everyone"
OFFICER, OTHER_OFFICER = "scan.officer@aldport.example", "scan.b@bexley.example"
ADMIN = "scan.admin@port-assess.example"
# What the login and both scanners present: the session is bound to it.
SCAN_USER_AGENT = "port-assess-scan/1 (wapiti, sqlmap; 127.0.0.1 only)"
# Everything that works against 127.0.0.1 alone: ssrf, xxe and their kin need wapiti's own
# server on the internet, which a port network (and this scan) must not reach.
WAPITI_MODULES = (
    "sql,timesql,xss,permanentxss,exec,file,crlf,redirect,upload,csrf,csp,"
    "cookieflags,http_headers,methods,backup,htaccess"
)
# The administrator's pages serve no static files: no backup or .htaccess probing (wapiti
# 3.2.3's backup module also crashes on this URL layout).
ADMIN_MODULES = WAPITI_MODULES.removesuffix(",backup,htaccess")


@dataclass
class World:
    own_assessment: int  # the scan officer's
    other_assessment: int  # the other organisation's
    admin_id: int
    officer_id: int
    draft_id: int
    recovery_codes: list[str]  # the administrator's second factor, one per login


def seed(database_url: str) -> World:
    """Two organisations with an officer and an assessment each (with answers and comments),
    the shipped question set and a draft of it, an administrator with a second factor."""
    from assessment import create_app, paths
    from assessment.db import get_session
    from assessment.migrate import upgrade
    from assessment.services import (
        answers,
        assessments,
        drafts,
        mfa,
        organisations,
        question_sets,
        users,
    )

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
        path = paths.questionnaires_dir() / "port-cyber-baseline.yaml"
        version = question_sets.import_question_set(session, path.read_bytes(), path.name).version
        ids = []
        for name, email in (("Port of Aldport", OFFICER), ("Bexley Terminal", OTHER_OFFICER)):
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
            ids.append((assessment.id, officer.id))
        admin = users.create_user(
            session,
            None,
            users.UserData(ADMIN, "Scan admin", "admin", None),
            PASSWORD,
            fast_hash=True,
        )
        secret = mfa.new_secret()
        codes = mfa.enable(session, admin, secret, pyotp.TOTP(secret).now())
        draft = drafts.copy_to_draft(session, admin, version)
        world = World(ids[0][0], ids[1][0], admin.id, ids[0][1], draft.id, codes)
    app.extensions["db_engine"].dispose()
    return world


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(database_url: str, port: int) -> subprocess.Popen:
    env = {
        "PATH": "/usr/bin:/bin",
        "ASSESSMENT_SECRET_KEY": secrets.token_hex(32),
        "ASSESSMENT_DATABASE_URL": database_url,
        "ASSESSMENT_QUEUE_URL": f"sqlite:///{OUT / 'queue.db'}",
        "ASSESSMENT_FAST_PASSWORD_HASH": "true",
        "ASSESSMENT_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        "ASSESSMENT_LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "ASSESSMENT_MFA_LIMIT": "100000 per minute",
        "ASSESSMENT_REPORT_LIMIT_PER_USER": "100000 per minute",
    }
    log = (OUT / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
        + ["--access-logfile", "-", "assessment:create_app()"],
        cwd=ROOT,  # with the repository's gunicorn.conf.py, as `make run`
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)  # waiting for the port to open, with a deadline
    process.kill()
    raise SystemExit("gunicorn did not start; see instance/scan/gunicorn.log")


class Browser:
    """HTTP as the scanners will speak it: the scan's User-Agent, one session cookie, no
    redirects followed (a redirect to /login must be seen, not followed)."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"User-Agent": SCAN_USER_AGENT}
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"session=([^;]*)", value)
            if match:
                self.cookie = match.group(1)
        connection.close()
        return response.status, response.headers.get("Location", ""), text

    def submit(self, path: str, fields: dict):
        _, _, page = self.request("GET", path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        if token is None:
            raise SystemExit(f"scan: no form on {path}")
        return self.request("POST", path, {**fields, "csrf_token": token.group(1)})


def log_in(port: int, email: str, recovery_code: str | None = None) -> Browser:
    browser = Browser(port)
    status, location, _ = browser.submit("/login", {"email": email, "password": PASSWORD})
    if status == 302 and location.startswith("/login/mfa"):
        if recovery_code is None:
            raise SystemExit(f"scan: {email} was asked for a second factor it does not have")
        status, location, _ = browser.submit("/login/mfa", {"code": recovery_code})
    if status != 302 or location.startswith("/login"):
        raise SystemExit(f"scan: could not log in as {email} ({status} -> {location})")
    return browser


def require_logged_in(browser: Browser, checks: list[tuple[str, str]], when: str) -> None:
    """Each page answers 200 with the text expected of a logged-in page, to the scanners'
    User-Agent and cookie: otherwise the scan would attack the login page and prove nothing."""
    for path, expected in checks:
        status, location, page = browser.request("GET", path)
        if status != 200 or expected not in page:
            raise SystemExit(
                f"\nSCAN ABORTED ({when}): GET {path} with the scanners' User-Agent and cookie "
                f"answered {status} {location or ''} instead of the logged-in page. The scanners "
                "would only have seen the login page.\n"
            )


def still_logged_in(browser: Browser, path: str, expected: str) -> bool:
    status, _, page = browser.request("GET", path)
    return status == 200 and expected in page


def run(command: list[str], seconds: int, log_name: str) -> int:
    print("$", " ".join(command[:3]), "...", flush=True)
    with (OUT / log_name).open("w") as log:
        try:
            return subprocess.run(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=seconds,
                cwd=OUT,
                check=False,
            ).returncode
        except subprocess.TimeoutExpired:
            log.write(f"\n[scan] stopped after {seconds} s\n")
            return -1


def wapiti(
    name: str, base: str, browser: Browser, starts: list[str], excluded: list[str], seconds: int
):
    modules = WAPITI_MODULES if name == "officer" else ADMIN_MODULES
    command = [
        str(SCAN_BIN / "wapiti"),
        "--no-bugreport",  # a crash report would go to the internet
        "-u",
        f"{base}/",
        "--scope",
        "domain",
        "-A",
        SCAN_USER_AGENT,
        "-C",
        f"session={browser.cookie}",
        "-m",
        modules,
        "--max-scan-time",
        str(seconds),
        "--max-attack-time",
        str(max(20, seconds // (modules.count(",") + 1))),  # bounds each module
        "-d",
        "5",
        "--max-links-per-page",
        "60",
        "--tasks",
        "4",
        "--flush-session",
        "--store-session",
        str(OUT / f"wapiti-{name}-session"),
        "-f",
        "json",
        "-o",
        str(OUT / f"wapiti-{name}.json"),
    ]
    for start in starts:
        command += ["-s", base + start]
    for pattern in excluded:
        command += ["-x", base + pattern]
    run(command, seconds * 2 + 120, f"wapiti-{name}.log")


def sqlmap(name: str, arguments: list[str], browser: Browser | None, seconds: int) -> None:
    command = [
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
        "--user-agent",
        SCAN_USER_AGENT,
        *arguments,
    ]
    if browser is not None:
        # The signed session cookie is not a parameter: changing it only logs out.
        command += ["--cookie", f"session={browser.cookie}", "--skip", "session"]
    run(command, seconds, f"sqlmap-{name}.log")


def versions() -> list[str]:
    found = []
    for tool in ("wapiti", "sqlmap"):
        output = subprocess.run(
            [str(SCAN_BIN / tool), "--version"], capture_output=True, text=True, check=False
        ).stdout.split()
        found.append(f"{tool} {output[-1] if output else '?'}")
    return [", ".join(found) + f"; {time.strftime('%Y-%m-%d')}"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=10, help="time for each scanner")
    args = parser.parse_args()
    if not (SCAN_BIN / "wapiti").exists() or not (SCAN_BIN / "sqlmap").exists():
        raise SystemExit("the scanners are missing: run `make scan`, which installs them")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    database_url = f"sqlite:///{OUT / 'scan.db'}"
    world = seed(database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(database_url, port)
    seconds = args.minutes * 60
    share = max(60, seconds // 2)
    own = f"/assessments/{world.own_assessment}"
    # Pages only a logged-in person gets: the logout form is on every one of them (the
    # assessments list may page, or show other titles once the scanners have written).
    logged_in = 'action="/logout"'
    officer_checks = [("/assessments/", logged_in), (f"{own}/review", logged_in)]
    admin_checks = [
        ("/admin/users", logged_in),  # 200 for administrators only
        (f"/admin/question-sets/{world.draft_id}", logged_in),
    ]
    sessions = {}
    try:
        officer = log_in(port, OFFICER)
        require_logged_in(officer, officer_checks, "before scanning")
        wapiti(
            "officer",
            base,
            officer,
            ["/home", "/assessments/", f"{own}", f"{own}/review", f"{own}/results"],
            ["/logout", "/account/mfa/disable"],
            seconds,
        )
        sessions["wapiti as the officer"] = still_logged_in(officer, *officer_checks[0])

        officer = log_in(port, OFFICER)
        require_logged_in(officer, officer_checks, "before sqlmap")
        sqlmap("review-filter", ["-u", f"{base}{own}/review?show=all"], officer, share)
        sqlmap(
            "path-id", ["-u", f"{base}/assessments/{world.own_assessment}*/results"], officer, share
        )
        # The section form, posted as the page does (not --forms: that would also post the
        # logout form and end the session). The token is read afresh from the page.
        section = f"{base}{own}/sections/container-release"
        q = "release-pin-only"
        sqlmap(
            "section-form",
            [
                "-u",
                section,
                "--data",
                f"q={q}&v:{q}=1&o:{q}=x&a:{q}=partly&c:{q}=scan&e:{q}=log&csrf_token=x",
                "--csrf-token",
                "csrf_token",
                "--csrf-url",
                section,
                "-p",
                f"a:{q},c:{q},e:{q},q",
            ],
            officer,
            share,
        )
        sessions["sqlmap as the officer"] = still_logged_in(officer, *officer_checks[0])

        admin = log_in(port, ADMIN, world.recovery_codes[0])
        require_logged_in(admin, admin_checks, "before scanning as the administrator")
        me = f"/admin/users/{world.admin_id}"
        wapiti(
            "admin",
            base,
            admin,
            ["/admin/", "/admin/users", "/admin/organisations", "/admin/question-sets/"]
            + [f"/admin/question-sets/{world.draft_id}", "/admin/audit"],
            # Not the administrator's own account (a scanner turning it into an officer or
            # off would end the scan), nor what removes the draft the editor forms belong to.
            [
                "/logout",
                f"{me}/*",
                "/admin/question-sets/*/delete",
                "/admin/question-sets/*/publish",
            ],
            seconds,
        )
        sessions["wapiti as the administrator"] = still_logged_in(admin, *admin_checks[0])

        admin = log_in(port, ADMIN, world.recovery_codes[1])
        metadata = f"{base}/admin/question-sets/{world.draft_id}/metadata"
        sqlmap(
            "editor-form",
            [
                "-u",
                metadata,
                "--data",
                "title=Scan&description=text&language=en&csrf_token=x",
                "--csrf-token",
                "csrf_token",
                "--csrf-url",
                metadata,
                "-p",
                "title,description,language",
            ],
            admin,
            max(seconds, 240),  # each test posts the whole editor page's checks: slow
        )
        sessions["sqlmap as the administrator"] = still_logged_in(admin, *admin_checks[0])
        sqlmap(
            "login-form",
            ["--forms", "--csrf-token", "csrf_token", "-u", f"{base}/login"],
            None,
            share,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    text, ok = coverage.summary(
        OUT, sessions, header=versions() + [f"User-Agent: {SCAN_USER_AGENT}"]
    )
    (OUT / "summary.txt").write_text(text)
    print(text)
    if not ok:
        raise SystemExit("the scan did not test what it should have: see instance/scan/summary.txt")


if __name__ == "__main__":
    main()
