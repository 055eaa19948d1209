"""The PDF report read back: content, marking, page numbers, tags, the attached result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment.questionset import load_question_set
from assessment.report.document import ReportMeta, render_report_html, result_attachment
from assessment.report.pdf import render_pdf
from assessment.scoring import parse_answers, result_to_json, score

from .conftest import pages_text, pdf_reader

pytestmark = pytest.mark.slow
DATA = Path(__file__).resolve().parent.parent / "data"
QS = load_question_set((DATA / "scoring.yaml").read_bytes(), "scoring.yaml")
ANSWERS = {
    "p-ot": "yes",
    "a1": {"value": "partly", "comment": "Lane 3 still uses PINs; ÆØÅ ŁŽ"},
    "a2": "dont_know",
    "b1": ["x"],
    "b2": 40,
    "c1": "no",
}
META = ReportMeta(
    organisation="Port of Ålesund – Terminal Nord",
    title="Annual check 2026",
    author="Åse Ødegård",
    classification="TLP:AMBER+STRICT",
)


@pytest.fixture(scope="module")
def report():
    result = score(QS, parse_answers(QS, ANSWERS))
    html = render_report_html(QS, result, META)
    return result, render_pdf(html, attachments=(result_attachment(result, META),))


def test_the_report_names_the_organisation_weaknesses_and_mitigations(report):
    result, pdf = report
    text = " ".join(pages_text(pdf))
    assert "Port of Ålesund – Terminal Nord" in text
    for weakness in result.weaknesses[:3]:
        assert weakness.title in text
    for mitigation in ("Offline backup", "Restore test", "Lock it"):
        assert mitigation in text
    assert "Lane 3 still uses PINs; ÆØÅ ŁŽ" in text  # the comment, with its glyphs


def test_every_shown_section_title_is_in_the_report(report):
    result, pdf = report
    text = " ".join(pages_text(pdf))
    for section in result.sections:
        if section.visible and section.scored:
            assert section.title in text


def test_every_page_carries_the_marking_and_its_number(report):
    _, pdf = report
    pages = pages_text(pdf)
    assert len(pages) >= 8
    for number, text in enumerate(pages, start=1):
        assert "TLP:AMBER+STRICT" in text, f"page {number} has no marking"
        assert f"Page {number} of {len(pages)}" in text


def test_the_contents_give_page_numbers(report):
    _, pdf = report
    contents = pages_text(pdf)[1]
    assert "Executive summary" in contents
    assert "Appendix C: how the scores are made" in contents


def test_the_pdf_is_tagged_titled_and_in_english(report):
    _, pdf = report
    reader = pdf_reader(pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Annual check 2026 – Port of Ålesund – Terminal Nord"
    assert reader.metadata.author == "Åse Ødegård"


def test_the_result_is_attached_as_json(report):
    result, pdf = report
    attachments = pdf_reader(pdf).attachments
    assert list(attachments) == ["result.json"]
    data = json.loads(attachments["result.json"][0])
    about = data.pop("assessment")  # the same envelope as the download and the CLI
    assert about["title"]
    assert about["id"] is None
    assert data == json.loads(json.dumps(result_to_json(result)))


def test_method_and_information_gaps_are_printed(report):
    _, pdf = report
    text = " ".join(pages_text(pdf))
    assert "critical 8, high 4, medium 2, low 1" in text
    assert "A2?" in text  # the "don't know" question, listed as an information gap
