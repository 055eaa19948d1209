"""The report in its assessment's language: the HTML's lang and the PDF's /Lang, dates and
numbers by the locale, and every word of ours through gettext.

The catalogues are written by translators after this, so the words themselves cannot be checked
in Dutch yet. What can: the language reaches the document (lang, /Lang, Babel's dates and
numbers), and no word of the interface bypasses gettext. For the latter the report is rendered
with translations that wrap every message in ⟦ ⟧. In the HTML each marked message is replaced
by the values put into it (so an English word of ours passed into a message is caught too), in
the PDF each is taken away; what is left must be the question set's own texts and the cover's
values, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import flask_babel
import pytest
from babel.dates import format_date
from babel.numbers import format_percent
from flask import Flask

from assessment import i18n
from assessment.questionset import Answer, AnswerStatus, load_question_set
from assessment.questionset.yaml_io import load_yaml
from assessment.report import filters
from assessment.report import sector as sector_files
from assessment.report.document import ReportMeta, render_report_html
from assessment.report.pdf import render_pdf
from assessment.report.styles import page_numbers_css
from assessment.scoring import compare, score
from assessment.services import sector
from assessment.services.reports import report_meta
from assessment.services.sector_model import Contribution

from .conftest import pages_text, pdf_reader

DATA = Path(__file__).resolve().parent.parent / "data"
# The scoring fixture, one answer of which an auditor will ask evidence for.
SOURCE = (
    (DATA / "scoring.yaml")
    .read_text(encoding="utf-8")
    .replace("        text: A1?\n", "        text: A1?\n        evidence: expected\n", 1)
)
QS = load_question_set(SOURCE.encode(), "scoring.yaml")
LONG_COMMENT = "Lane three still uses PINs at the gate. " * 40  # shortened in the report
DAY = datetime(2026, 12, 1, 9, 30)


@pytest.fixture
def app() -> Iterator[Flask]:
    """A bare app with Flask-Babel, as the ``report`` command uses: no database needed."""
    app = Flask("assessment")
    i18n.init_app(app)
    with app.app_context():
        yield app


def first_result():
    """Every kind of answer: partly, with a long comment and checked evidence; "don't know" on
    a maturity scale, marked for review; an empty checklist, a number, a "no", an unanswered
    note."""
    return score(
        QS,
        {
            "p-ot": Answer("yes"),
            "a1": Answer("partly", comment=LONG_COMMENT, evidence="Gate log", checked="2026-11-05"),
            "a2": Answer(None, AnswerStatus.DONT_KNOW, marked=True),
            "b1": Answer(()),
            "b2": Answer(40),
            "c1": Answer("no"),
            "c2": Answer(None, AnswerStatus.UNANSWERED, comment="Ask the terminal."),
        },
    )


def second_result():
    """A section left out by the profile, a maturity level, "not applicable", no gaps."""
    return score(
        QS,
        {
            "p-ot": Answer("no"),
            "a1": Answer("yes"),
            "a2": Answer(3),
            "b1": Answer(None, AnswerStatus.NOT_APPLICABLE, comment="No such systems."),
            "b2": Answer(3),
        },
    )


def meta(language: str | None = None, **values) -> ReportMeta:
    cover = {
        "organisation": "Port of Aldport",
        "title": "Annual check",
        "scope": "Container terminal",
        "author": "Officer A",
        "assessment_date": "1 December 2026",
        "previous_title": "Annual check 2025",  # not on the cover: "Change since “...”"
    }
    return ReportMeta(**(cover | values), language=language)


# The language reaches the document


def test_the_assessments_language_sets_lang_and_marks_the_sets_own_texts(app):
    with i18n.force_language("nl"):
        html = render_report_html(QS, first_result(), meta("nl"))
    assert '<html lang="nl">' in html
    # The set is in English: its texts say so, ours do not.
    assert '<td lang="en">A1?</td>' in html
    assert '<h3 lang="en">Profile</h3>' in html
    english = render_report_html(QS, first_result(), meta())
    assert '<html lang="en">' in english
    assert 'lang="en">A1?' not in english  # the whole document is in the set's language


def test_numbers_and_dates_are_written_as_the_language_writes_them(app):
    result = first_result()
    with i18n.force_language("fr"):
        html = render_report_html(QS, result, meta("fr"))
        moment = filters.when(datetime(2026, 12, 1, 14, 5))
    share = format_percent(result.completeness, locale="fr")
    assert share != f"{result.completeness * 100:.0f}%"  # French puts a space before it
    assert f'<p class="summary">{share} ' in html  # the summary's completeness sentence
    assert moment == "1 déc. 2026, 14:05 UTC"
    assert "5 nov. 2026" in html  # when the evidence was checked
    with i18n.force_language("de"):
        assert filters.number(1.5) == "1,5"
        assert filters.day(date(2026, 12, 1)) == "01.12.2026"
    assert filters.when(datetime(2026, 12, 1, 14, 5)) == "1 Dec 2026, 14:05 UTC"
    assert (filters.score(95.6), filters.percent(0.333), filters.change(-3)) == ("96", "33%", "-3")


def test_the_cover_of_a_stored_assessment_is_written_in_its_language(app):
    assessment = SimpleNamespace(
        language="nl",
        organisation=SimpleNamespace(name="Haven van Aldport"),
        title="Jaarlijkse controle",
        scope="",
        created_by=SimpleNamespace(display_name="Officier A"),
        is_completed=True,
        completed_at=DAY,
        updated_at=DAY,
    )
    cover = report_meta(assessment, "TLP:AMBER")
    assert cover.language == "nl"
    assert re.fullmatch(r"1 dec\.? 2026", cover.assessment_date)
    assert cover.assessment_date == format_date(DAY, "medium", locale="nl")


@pytest.mark.slow
def test_the_pdf_says_its_language_and_prints_its_dates(app):
    with i18n.force_language("nl"):
        cover = meta("nl", assessment_date=filters.day(DAY))
        pdf = render_pdf(render_report_html(QS, first_result(), cover))
    reader = pdf_reader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    first_page = " ".join(pages_text(pdf)[0].split())
    assert re.search(r"1 dec\.? 2026", first_page)  # the assessment's date
    assert re.search(r"\d{1,2} [a-z]{3}\.? \d{4},? \d\d:\d\d UTC", first_page)  # made then
    # The footer is the catalogue's (the English until a translator has written it).
    with i18n.force_language("nl"):
        footer = flask_babel.gettext("Page %(page)s of %(pages)s", page=1, pages=len(reader.pages))
    assert first_page.endswith(footer)


# Every word of ours goes through gettext


class Marked:
    """Translations that return each message between ⟦ and ⟧, untranslated, and remember the
    messages asked for."""

    def __init__(self):
        self.messages: set[str] = set()

    def ugettext(self, message: str) -> str:
        self.messages.add(message)
        return f"⟦{message}⟧"

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        self.messages.update((singular, plural))
        return f"⟦{singular if n == 1 else plural}⟧"

    def upgettext(self, context: str, message: str) -> str:
        return self.ugettext(message)

    def unpgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ungettext(singular, plural, n)

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext


@pytest.fixture
def marked(app, monkeypatch) -> Marked:
    translations = Marked()
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: translations)
    return translations


def words(text: str) -> str:
    return " ".join(text.split())


PLACEHOLDER = re.compile(r"(%\(\w+\)[sd]|%%)")


def pattern_of(message: str) -> re.Pattern:
    """A marked message as printed: its own words, any value in each placeholder."""
    parts = []
    for piece in PLACEHOLDER.split(words(message)):
        if piece == "%%":
            parts.append("%")
        elif PLACEHOLDER.fullmatch(piece):
            parts.append("(.*?)")
        else:
            parts.append(r"\s*".join(re.escape(w) for w in piece.split(" ")))
    return re.compile(r"\s*".join(parts), re.DOTALL)


def unwrap(text: str, messages: set[str]) -> str:
    """``text`` with each marked message, innermost first, replaced by the values put in its
    placeholders: so an English word of ours passed into a message is still seen."""
    # The message with the most words of its own first: "%(a)s of %(b)s" fits any text with
    # "of" in it, but a message that fits whole is the one printed.
    literal = {m: len(PLACEHOLDER.sub("", m)) for m in messages}
    patterns = [pattern_of(m) for m in sorted(messages, key=literal.get, reverse=True)]

    def values(mark: re.Match) -> str:
        inside = words(mark.group(1))
        for pattern in patterns:
            found = pattern.fullmatch(inside)
            if found:
                return " " + " ".join(found.groups()) + " "
        raise AssertionError(f"printed between marks, but not a message asked for: {inside}")

    text = words(text)
    while "⟦" in text:
        text = re.sub(r"⟦([^⟦⟧]*)⟧", values, text)
    return text


def strings_of(data) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_of(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_of(value)


def unmarked(text: str, theirs: list[str]) -> set[str]:
    """The words left in ``text`` once the set's texts and the cover's values are taken out."""
    text = words(text)
    for value in sorted({words(v) for v in theirs if v.strip()}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)  # whole words only
    return set(re.findall(r"[^\W\d_]{2,}", text))


def shown_text(html: str) -> str:
    """The text of the HTML as a reader gets it: its text nodes, without the stylesheet."""
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", html))


# What the cover prints as it is given (the status and the time are made in the language).
COVER_VALUES = (
    "organisation",
    "title",
    "scope",
    "author",
    "classification",
    "assessment_date",
    "previous_title",
)
THEIRS = [
    *strings_of(load_yaml(SOURCE.encode())),
    *(getattr(meta(), name) or "" for name in COVER_VALUES),
    LONG_COMMENT[:1200],
    "Gate log",
    "Ask the terminal.",
    "No such systems.",
]
ALLOWED = {"UTC"}  # the zone, written the same in every language


@pytest.mark.slow
@pytest.mark.parametrize(
    "results",
    [
        pytest.param(lambda: (first_result(), compare(second_result(), first_result())), id="gaps"),
        pytest.param(lambda: (second_result(), None), id="complete"),
        pytest.param(lambda: (score(QS, {}), None), id="empty"),
    ],
)
def test_no_word_of_the_report_bypasses_gettext(marked, results):
    result, comparison = results()
    with i18n.force_language("en"):
        cover = meta()
        html = render_report_html(QS, result, cover, comparison)
        # Values written by Babel or named by us, not words: the dates, the attached file.
        theirs = [*THEIRS, cover.generated_at, filters.day("2026-11-05"), "result.json"]
    # In the HTML, exactly: every message is replaced by the values put into it.
    assert unmarked(unwrap(shown_text(html), marked.messages), theirs) <= ALLOWED
    # In the PDF as a reader gets it (the footer's words come from the stylesheet): nothing is
    # left outside the marks.
    text = words(" ".join(pages_text(render_pdf(html))))
    assert "⟦Page 1 of" in text
    outside = text
    while "⟦" in outside:
        outside = re.sub(r"⟦[^⟦⟧]*⟧", " ", outside)
    assert unmarked(outside, theirs) <= ALLOWED, text
    # What no page shows but a reader's tools do: the description.
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert description.startswith("⟦")


def sector_figures():
    """Twelve organisations' answers of every kind, published over the whole sector."""
    raw_answers = [
        {"p-ot": "yes", "a1": "no", "a2": 1, "b1": ["x"], "c1": "no"},
        {"p-ot": "no", "a1": "dont_know", "a2": 4, "b2": 400},
        {"p-ot": "yes", "a1": "partly", "a2": "dont_know", "b1": [], "b2": 3, "c1": "yes"},
        {"p-ot": "no", "a1": "not_applicable", "b1": "not_applicable"},
    ]
    contributions = []
    for organisation in range(12):
        raw = raw_answers[organisation % len(raw_answers)]
        given = {q: QS.question(q).parse_answer(value) for q, value in raw.items()}
        profile = sector.profile_of(QS, given, score(QS, given))
        for year in (2025, 2026):
            completed = datetime(year, 3, 1 + organisation)
            contributions.append(Contribution(organisation, "terminal", "NL", completed, profile))
    figures = sector.sector_figures(QS, contributions, k=5)
    assert figures.published
    return figures


def test_no_word_of_the_sector_report_bypasses_gettext(marked):
    figures = sector_figures()
    with i18n.force_language("en"):
        about = {"generated_at": sector_files.generated_at()}
        html = sector_files.render_sector_html(QS, figures, about, "TLP:AMBER", "All terminals")
    assert '<html lang="en">' in html
    theirs = [*THEIRS, about["generated_at"], "TLP:AMBER", "All terminals"]
    assert unmarked(unwrap(shown_text(html), marked.messages), theirs) <= ALLOWED


def test_the_sector_report_is_in_the_analysts_language(app):
    with i18n.force_language("nl"):
        html = sector_files.render_sector_html(QS, sector_figures(), {"generated_at": ""}, "", "")
    assert '<html lang="nl">' in html
    assert '<th scope="row" lang="en">A</th>' in html  # a section title of the English set


class Quoting:
    """A translation of the footer that would end the CSS string, and the style element."""

    def ugettext(self, message: str) -> str:
        return 'Seite "%(page)s" </style> \\ %(pages)s' if message.startswith("Page") else message


def test_the_footers_words_stay_inside_their_css_string(app, monkeypatch):
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: Quoting())
    rule = str(page_numbers_css())
    assert rule == (
        '@page { @bottom-right { content: "Seite \\22 " counter(page) "\\22  \\3c /style\\3e  '
        '\\5c  " counter(pages); } }'
    )
