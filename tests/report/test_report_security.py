"""Hostile text in answers and comments stays text: no fetch, no file, no markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint.urls import FatalURLFetchingError

from assessment.questionset import load_question_set
from assessment.report.document import ReportMeta, render_report_html, result_attachment
from assessment.report.fetcher import AssetFetcher
from assessment.report.pdf import RenderError, render_pdf, render_pdf_bounded
from assessment.scoring import parse_answers, score

from .conftest import pages_text, pdf_reader

pytestmark = pytest.mark.slow
DATA = Path(__file__).resolve().parent.parent / "data"
QS = load_question_set((DATA / "scoring.yaml").read_bytes(), "scoring.yaml")


def payloads(canary_url: str) -> list[str]:
    return [
        '<link rel="attachment" href="file:///etc/passwd">',
        '<base href="file:///"><a rel="attachment" href="etc/passwd">x</a>',
        f'<img src="{canary_url}/img">',
        f"<style>@import url({canary_url}/import);</style>",
        f'<p style="background:url({canary_url}/background)">bg</p>',
        f'<svg><image href="{canary_url}/svg"/></svg>',
        "{{7*7}} <script>alert(1)</script>",
    ]


def test_payloads_in_comments_are_literal_with_no_fetch_and_no_file(canary):
    texts = payloads(canary.url)
    raw = {
        "a1": {"value": "no", "comment": texts[0]},
        "a2": 1,
        "b1": {"value": ["x"], "comment": texts[1]},
        "b2": {"value": 40, "comment": "\n".join(texts[2:])},
    }
    result = score(QS, parse_answers(QS, raw))
    meta = ReportMeta(organisation=texts[3], title=texts[2])
    html = render_report_html(QS, result, meta)
    assert "<link rel=" not in html
    assert "&lt;link rel=&#34;attachment&#34;" in html
    pdf = render_pdf(html, attachments=(result_attachment(result, meta),))
    text = " ".join(pages_text(pdf)).replace("\n", " ")
    assert 'href="file:///etc/passwd"' in text
    assert "{{7*7}}" in text
    assert "<script>alert(1)</script>" in text
    assert list(pdf_reader(pdf).attachments) == ["result.json"]
    assert canary.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "data:text/plain,hello",
        "ftp://127.0.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/",
        "http://[::1]/",
        "https://example.org/",
        "app-asset:unknown.css",
        "gopher://127.0.0.1/",
    ],
)
def test_the_fetcher_refuses_everything_but_its_assets(url):
    fetcher = AssetFetcher({"logo.png": (b"\x89PNG", "image/png")})
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(url)
    assert fetcher.fetch("app-asset:logo.png").read() == b"\x89PNG"


def test_a_redirect_from_an_allowed_page_is_not_followed(canary):
    fetcher = AssetFetcher()
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(f"{canary.url}/redirect")
    assert canary.hits == []


def test_a_document_that_asks_for_a_url_is_stopped_not_fetched(canary):
    html = f'<html><body><img src="{canary.url}/x"><p>hello</p></body></html>'
    with pytest.raises(FatalURLFetchingError):
        render_pdf(html)
    assert canary.hits == []


def test_a_render_over_time_is_stopped_and_the_caller_survives():
    html = "<html><body>" + "<p>word " * 20000 + "</body></html>"
    with pytest.raises(RenderError, match="took longer than"):
        render_pdf_bounded(html, timeout=0.05)
    assert render_pdf_bounded("<p>still working</p>").startswith(b"%PDF")


def test_a_render_over_memory_is_stopped_and_the_caller_survives():
    html = "<html><body>" + "<table>" + "<tr><td>cell</td></tr>" * 20000 + "</table></body></html>"
    with pytest.raises(RenderError):
        render_pdf_bounded(html, memory=200 * 1024 * 1024)
    assert render_pdf_bounded("<p>still working</p>").startswith(b"%PDF")
