"""Benchmark of the PDF report (run: .venv/bin/python bench/report.py [--repeat N]).

For the default question set with the all-worst answers (the longest report) and a typical
mixed set, it prints the in-process median time of our whole pipeline (scoring + template +
PDF with tags and the attached JSON) and, in the same run on the same HTML, of WeasyPrint
alone (HTML(string).write_pdf(), no options), with their ratio and the page count; then the
time of the bounded renderer (forked child) and of a cached download through the web app.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from assessment import paths
from assessment.questionset import load_question_set
from assessment.report.document import ReportMeta, render_report_html, result_attachment
from assessment.report.pdf import render_pdf, render_pdf_bounded
from assessment.scoring import load_answers_file, score

HERE = Path(__file__).resolve().parent
META = ReportMeta(
    organisation="Port of Aldport – Container Terminal North",
    title="Annual cyber self-assessment 2026",
    author="Anna Visser",
)


def median(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def pipeline(question_set, answers) -> bytes:
    result = score(question_set, answers)
    html = render_report_html(question_set, result, META)
    return render_pdf(html, attachments=(result_attachment(result, META),))


def weasyprint_alone(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def cached_download(question_set_path: Path, answers_path: Path, repeat: int) -> float:
    """Median time of a second (cached) download of the same report through the web app."""
    from assessment import create_app
    from assessment.db import get_session
    from assessment.migrate import upgrade
    from assessment.models import Assessment
    from assessment.services import (
        answers,
        assessments,
        organisations,
        question_sets,
        reports,
        users,
    )

    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "FAST_PASSWORD_HASH": True,
            "REPORT_LIMIT_PER_USER": "1000 per minute",
        }
    )
    upgrade(app.extensions["db_engine"])
    with app.app_context():
        session = get_session()
        org = organisations.create_organisation(
            session, None, organisations.OrganisationData(META.organisation, "terminal", "NL")
        )
        officer = users.create_user(
            session,
            None,
            users.UserData("bench@port.example", "Bench", "officer", org.id),
            "a long bench passphrase",
            fast_hash=True,
        )
        version = question_sets.import_question_set(
            session, question_set_path.read_bytes(), question_set_path.name
        ).version
        assessment = assessments.start_assessment(session, officer, META.title, "", version.id)
        question_set = assessments.question_set_of(version)
        loaded = load_answers_file(question_set, answers_path.read_bytes(), "answers")
        answers.save_answers(
            session,
            officer,
            assessment,
            [answers.AnswerInput(qid, answers.storable(a), a.comment) for qid, a in loaded.items()],
        )
        assessment_id = assessment.id
        reports.report_pdf(session, session.get(Assessment, assessment_id), "TLP:AMBER")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={
            "email": "bench@port.example",
            "password": "a long bench passphrase",
            "csrf_token": token,
        },
    )
    url = f"/assessments/{assessment_id}/report.pdf"
    assert client.get(url).data.startswith(b"%PDF")  # the first one renders and caches
    return median(lambda: client.get(url).data, repeat)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    question_set_path = paths.questionnaires_dir() / "port-cyber-baseline.yaml"
    question_set = load_question_set(question_set_path.read_bytes(), question_set_path.name)
    pipeline(question_set, {})  # warm up: imports, fonts
    print(f"WeasyPrint report benchmark, median of {args.repeat} runs, pid {os.getpid()}")
    for name in ("all-worst", "mixed"):
        answers_path = HERE / "answers" / f"baseline-{name}.yaml"
        answers = load_answers_file(question_set, answers_path.read_bytes(), name)
        result = score(question_set, answers)
        html = render_report_html(question_set, result, META)
        pages = len(PdfReader(io.BytesIO(pipeline(question_set, answers))).pages)
        ours = median(lambda a=answers: pipeline(question_set, a), args.repeat)
        alone = median(lambda h=html: weasyprint_alone(h), args.repeat)
        bounded = median(
            lambda h=html, r=result: render_pdf_bounded(
                h, attachments=(result_attachment(r, META),)
            ),
            args.repeat,
        )
        print(
            f"{name:9s}: {pages:3d} pages; our pipeline {ours:6.2f} s; WeasyPrint alone "
            f"{alone:6.2f} s; ratio {ours / alone:5.3f}; bounded (forked child) "
            f"{bounded:6.2f} s"
        )
    cached = cached_download(question_set_path, HERE / "answers" / "baseline-mixed.yaml", 20)
    print(f"cached download of the mixed report through the web app: {cached * 1000:.1f} ms")


if __name__ == "__main__":
    main()
