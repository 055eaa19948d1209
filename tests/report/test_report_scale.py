"""A report that scales with its content: the largest valid assessment renders within the
render limit, and no text, however long or unbroken, runs off the page."""

from __future__ import annotations

import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from assessment import paths
from assessment.config import DEFAULTS
from assessment.limits import MAX_TEXT
from assessment.questionset import Answer, load_question_set
from assessment.report.document import ReportMeta, render_report_html, result_attachment
from assessment.report.pdf import render_pdf_bounded
from assessment.scoring import score
from assessment.scoring.samples import sample_answers

from .conftest import pages_text, pdf_reader

A4_WIDTH_PT = 595.28
RIGHT_MARGIN_PT = 18 / 25.4 * 72  # the page's 18 mm margin
LONG_URL = "https://release.example.org/" + "a1b2c3d4/" * 66  # 622 characters, no space
UNBROKEN = "X" * MAX_TEXT
LONG_PROSE = ("Lane 3 still takes PIN codes from two shipping lines, per the gate log. " * 80)[
    :MAX_TEXT
]


def largest_assessment():
    """The default set, every question shown and answered (all at their worst: every weakness
    and every mitigation), each with a comment of the greatest length allowed."""
    source = paths.questionnaires_dir() / "port-cyber-baseline.yaml"
    question_set = load_question_set(source.read_bytes(), source.name)
    answers = {}
    for index, (question_id, answer) in enumerate(sample_answers(question_set, "worst").items()):
        comment = (LONG_URL + " " + LONG_PROSE)[:MAX_TEXT] if index % 2 else UNBROKEN
        answers[question_id] = Answer(answer.value, answer.status, comment)
    return question_set, score(question_set, answers)


def word_boxes(pdf: bytes, tmp_path) -> list[tuple[int, float, float, str]]:
    """(page, xMin, xMax, word) of every word, as poppler lays them out."""
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    out = tmp_path / "words.html"
    subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", "-bbox", str(source), str(out)], check=True
    )
    xml = out.read_text(encoding="utf-8").replace("<!DOCTYPE html>", "")
    root = ET.fromstring(xml)  # noqa: S314 - poppler's output for our own PDF
    words = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            words.append(
                (number, float(word.get("xMin")), float(word.get("xMax")), word.text or "")
            )
    return words


@pytest.fixture(scope="module")
def largest_report():
    question_set, result = largest_assessment()
    meta = ReportMeta(organisation="Port of Aldport", title="The largest assessment")
    html = render_report_html(question_set, result, meta)
    started = time.monotonic()
    pdf = render_pdf_bounded(
        html,
        attachments=(result_attachment(result, meta),),
        timeout=DEFAULTS["REPORT_TIMEOUT_SECONDS"],
    )
    return pdf, time.monotonic() - started, result


def test_the_largest_valid_assessment_renders_within_the_render_limit(largest_report):
    pdf, seconds, result = largest_report
    pages = len(pdf_reader(pdf).pages)
    print(f"largest assessment: {pages} pages in {seconds:.1f} s")  # in the note
    assert seconds < DEFAULTS["REPORT_TIMEOUT_SECONDS"]
    assert pages < 400
    text = " ".join(pages_text(pdf))
    assert "the full text is in the answers CSV" in text
    assert len(result.weaknesses) > 100


def test_no_word_runs_off_the_page(largest_report, tmp_path):
    """Every word ends inside the right margin: URLs and 5,000-letter words included."""
    pdf, _, _ = largest_report
    words = word_boxes(pdf, tmp_path)
    assert any("release.example.org" in w for _, _, _, w in words)
    beyond = [
        (page, round(x_max), w[:40])
        for page, _, x_max, w in words
        if x_max > A4_WIDTH_PT - RIGHT_MARGIN_PT + 1
    ]
    assert beyond == []
