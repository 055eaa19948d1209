"""Benchmark of the question-set editor (run: .venv/bin/python bench/editor.py).

Seeds a SQLite database with the shipped baseline set and an administrator (with multi-factor
authentication, as administrators must), starts the app under gunicorn with 2 sync workers as
``make run`` does, logs in, and times what an administrator waits for, each ``--rounds`` times:

- copy to a draft: the POST of "Copy to a draft" (the draft is deleted again between rounds);
- the draft page: the GET of the draft's overview, and its size;
- save one question: the POST of a question's edit form with its text changed, and the same
  followed by the draft page it redirects to (what the person waits for);
- the question's edit form (GET);
- ``/healthz`` (one ``SELECT 1`` in the same app) as the plain-page baseline of the same run,
  so that a loaded machine shows as a slow baseline rather than a slow editor.

Prints the median and the slowest round of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test harness: server, client and form reader

from assessment import create_app, paths  # noqa: E402
from assessment.db import get_session, make_engine  # noqa: E402
from assessment.migrate import upgrade  # noqa: E402
from assessment.services import mfa, users  # noqa: E402
from assessment.services.question_sets import import_question_set  # noqa: E402
from assessment.services.records import question_set_of  # noqa: E402
from tests.forms import Form  # noqa: E402
from tests.http_client import WebClient  # noqa: E402
from tests.server import gunicorn  # noqa: E402

PASSWORD = "correct horse battery staple"  # noqa: S105 - the seeded bench account
EMAIL = "admin@bench.example"
BASE = "/admin/question-sets"


def seed(database_url: str) -> tuple[int, str, str]:
    """The shipped baseline set and an administrator with MFA; returns the version's id, a
    question of the set to edit, and the administrator's TOTP secret."""
    upgrade(make_engine(database_url))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url}
    )
    source = paths.shipped_question_sets()[0]
    with app.app_context():
        session = get_session()
        version = import_question_set(session, source.read_bytes(), source.name).version
        admin = users.create_user(
            session,
            None,
            users.UserData(EMAIL, "Bench Admin", "admin", None),
            PASSWORD,
            fast_hash=True,
        )
        secret = mfa.new_secret()
        mfa.enable(session, admin, secret, pyotp.TOTP(secret).now())
        question_set = question_set_of(version)
        sections = [s for s in question_set.sections if len(s.questions) > 3]
        question = sections[len(sections) // 2].questions[1].id
        version_id = version.id
    app.extensions["db_engine"].dispose()
    return version_id, question, secret


def log_in(client: WebClient, secret: str) -> None:
    client.page("/login")
    response = client.post("/login", {"email": EMAIL, "password": PASSWORD})
    if response.headers.get("Location") == "/login/mfa":
        client.page("/login/mfa")
        # The code of the next 30-second step: enrolment used up the current one.
        code = pyotp.TOTP(secret).at(time.time() + 30)
        response = client.post("/login/mfa", {"code": code})
    if response.status_code != 302:
        sys.exit(f"login failed: {response.status_code}")
    if client.http.get(f"{BASE}/").status_code != 200:
        sys.exit("the administrator cannot open the editor after logging in")


def timed(call, *args, **kwargs):
    start = time.perf_counter()
    result = call(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def expect(response, status: int, what: str):
    if response.status_code != status:
        sys.exit(f"{what}: {response.status_code} (expected {status})\n{response.text[:2000]}")
    return response


def draft_id_of(response) -> int:
    return int(re.search(r"/(\d+)(?:#.*)?$", response.headers["Location"]).group(1))


def run(client: WebClient, version_id: int, question: str, rounds: int) -> dict[str, list]:
    figures: dict[str, list] = {
        "plain page (/healthz)": [],
        "copy to a draft (POST)": [],
        "draft page (GET)": [],
        "question form (GET)": [],
        "save one question (POST)": [],
        "save + draft page": [],
    }
    sizes = []
    for n in range(rounds):
        for _ in range(5):
            figures["plain page (/healthz)"].append(timed(client.http.get, "/healthz")[0])
        client.page(f"{BASE}/")
        ms, response = timed(client.post, f"{BASE}/{version_id}/copy", {})
        draft = draft_id_of(expect(response, 302, "copy to a draft"))
        figures["copy to a draft (POST)"].append(ms)
        ms, response = timed(client.http.get, f"{BASE}/{draft}")
        figures["draft page (GET)"].append(ms)
        sizes.append(len(expect(response, 200, "draft page").content))
        edit_url = f"{BASE}/{draft}/questions/{question}/edit"
        ms, response = timed(client.http.get, edit_url)
        figures["question form (GET)"].append(ms)
        html = expect(response, 200, "question form").text
        form = Form(html[html.index("<main") :])
        form.set("text", f"{form.data()['text']} (round {n})")
        client.csrf = form.data()["csrf_token"]
        post_ms, response = timed(client.http.post, edit_url, data=form.data())
        expect(response, 302, "save one question")
        get_ms, response = timed(client.http.get, response.headers["Location"])
        expect(response, 200, "draft page after the save")
        figures["save one question (POST)"].append(post_ms)
        figures["save + draft page"].append(post_ms + get_ms)
        client.page(f"{BASE}/{draft}/delete")
        expect(client.post(f"{BASE}/{draft}/delete", {}), 302, "delete the draft")
    figures["draft page size (KB)"] = [size / 1024 for size in sizes]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        version_id, question, secret = seed(url)
        with gunicorn(url, LOGIN_LIMIT_PER_ACCOUNT="1000 per minute") as base:
            client = WebClient(base)
            log_in(client, secret)
            run(client, version_id, question, 1)  # warm up both workers' imports and caches
            run(client, version_id, question, 1)
            figures = run(client, version_id, question, args.rounds)
    print(f"gunicorn 2 sync workers, SQLite, shipped baseline set; {args.rounds} rounds")
    for name, values in figures.items():
        unit = "KB" if "KB" in name else "ms"
        print(
            f"  {name:<26} median {statistics.median(values):8.1f} {unit}"
            f"   slowest {max(values):8.1f} {unit}"
        )


if __name__ == "__main__":
    main()
