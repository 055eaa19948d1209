"""A question set's own language marks its texts, on the page and in the report's PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessment.questionset import load_question_set
from assessment.report.document import ReportMeta, render_report_html
from assessment.report.pdf import render_pdf
from assessment.scoring import parse_answers, score

from ..conftest import DATA_DIR, import_question_set
from .test_assessments import section_url, start

META = ReportMeta(organisation="Port of Gdańsk", title="Przegląd 2026")


def polish_copy(directory: Path) -> Path:
    text = (Path(DATA_DIR) / "scoring.yaml").read_text(encoding="utf-8")
    path = directory / "scoring-pl.yaml"
    path.write_text(text.replace("version: 1\n", "version: 1\nlanguage: pl\n", 1), "utf-8")
    return path


def test_the_section_page_marks_the_sets_texts_with_its_language(app, client, people, tmp_path):
    import_question_set(app, str(polish_copy(tmp_path)))
    client.login(people.officer_a)
    assessment_id = start(client)
    page = client.get(section_url(assessment_id, "a")).get_data(as_text=True)
    assert '<html lang="en">' in page  # the interface is still English
    assert '<legend class="question-text" lang="pl">A1?</legend>' in page
    assert '<h2 id="section-title" lang="pl">' in page
    assert '<div class="answer-widget" lang="pl">' in page


def test_the_report_is_in_the_sets_language(tmp_path):
    question_set = load_question_set(polish_copy(tmp_path).read_bytes(), "scoring-pl.yaml")
    result = score(question_set, parse_answers(question_set, {"p-ot": "yes"}))
    html = render_report_html(question_set, result, META)
    assert '<html lang="pl">' in html


@pytest.mark.slow
def test_the_pdf_says_its_language(tmp_path):
    question_set = load_question_set(polish_copy(tmp_path).read_bytes(), "scoring-pl.yaml")
    result = score(question_set, parse_answers(question_set, {"p-ot": "yes"}))
    pdf = render_pdf(render_report_html(question_set, result, META))
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "pl"
