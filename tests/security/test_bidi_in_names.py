"""Names that lie about themselves: a right-to-left override (U+202E) or another bidirectional
or control character in an organisation's name or an assessment's title must not reach what a
viewer shows outside the page (the PDF's title, author and bookmarks) or the name a browser
saves a download under. The page text itself shows what was typed.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from assessment.db import get_session
from assessment.models import Organisation
from assessment.report.plain_text import BIDI_CONTROLS, one_line
from assessment.web.common.downloads import content_disposition

from ..conftest import fetch_report
from ..report.conftest import pdf_reader
from .helpers import start

RLO = "\u202e"
HOSTILE_NAME = f"Port of {RLO}fdp.exe\u2066\x07\u2028Aldport"
NOT_SHOWN = BIDI_CONTROLS | {"\x07", "\u2028", "\r", "\n", "\x00"}


def bookmarks(outline) -> list[str]:
    """Every bookmark title of a PDF outline (pypdf nests a parent's children in a list)."""
    titles = []
    for item in outline:
        titles += bookmarks(item) if isinstance(item, list) else [item.title]
    return titles


def shows_nothing_hidden(text: str) -> bool:
    return not any(char in NOT_SHOWN for char in text)


@pytest.mark.parametrize(
    "name",
    [
        f"report{RLO}fdp.exe",
        "a\u2067b\u2069c.pdf",
        "x\u200fy\u200e.pdf",
        "bell\x07.pdf",
        "line\r\nbreak.csv",
        f"{RLO}",
        "../../etc/passwd",
    ],
)
def test_no_control_or_bidi_character_reaches_the_download_name(name):
    header = content_disposition(name)
    utf8_name = unquote(header.split("filename*=UTF-8''", 1)[1])
    assert shows_nothing_hidden(header)
    assert shows_nothing_hidden(utf8_name)
    assert "/" not in utf8_name
    assert utf8_name.strip()


def test_one_line_keeps_letters_and_the_joiners_scripts_need():
    assert one_line("Haven van\u00a0Antwerpen–Brugge") == "Haven van Antwerpen–Brugge"
    assert one_line("Λιμάνι Πειραιά") == "Λιμάνι Πειραιά"
    assert one_line("می\u200cخواهم") == "می\u200cخواهم"  # zero-width non-joiner: Persian
    assert one_line(f"a{RLO}b\u2066c\u2069\x00d\te") == "abc d e"


def test_a_hostile_name_in_the_pdf_metadata_and_file_name(app, people, scoring_set, worker):
    with app.app_context():
        session = get_session()
        session.get(Organisation, people.org_a).name = HOSTILE_NAME
        session.commit()
    officer = app.test_client()
    officer.login(people.officer_a)
    assessment_id = start(officer, f"Annual {RLO}check\u202a 2026")
    response = fetch_report(officer, f"/assessments/{assessment_id}/report.pdf")
    reader = pdf_reader(response.data)
    metadata = reader.metadata
    for shown in (metadata.title, metadata.author, *bookmarks(reader.outline)):
        assert shows_nothing_hidden(shown), repr(shown)
    assert "Aldport" in metadata.title  # the name is still there, only cleaned
    assert any("check" in title for title in bookmarks(reader.outline))
    disposition = response.headers["Content-Disposition"]
    assert shows_nothing_hidden(unquote(disposition))
    assert disposition.startswith('attachment; filename="Port-of-fdp-exe-Aldport-')
