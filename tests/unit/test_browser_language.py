"""The browser's languages are taken in its order of preference, by their base language."""

import pytest
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from assessment.i18n import browser_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-BE, en;q=0.5", "fr"),  # a regional tag beats an exact match of lower quality
        ("nl-NL,nl;q=0.9,en-US;q=0.8", "nl"),
        ("pl-PL, de;q=0.7, en;q=0.3", "de"),  # the first one we have
        ("en;q=0.2, es-419;q=0.9", "es"),
        ("pl, cs", "en"),
        ("", "en"),
    ],
)
def test_the_first_language_we_have_wins(header, expected):
    assert browser_language(parse_accept_header(header, LanguageAccept)) == expected
