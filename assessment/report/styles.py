"""The report's stylesheet, inlined so that the HTML is self-contained, with the few words
it prints itself (the page footer) in the current language."""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext as _
from markupsafe import Markup

from assessment import paths


@lru_cache(maxsize=1)
def _stylesheet() -> Markup:
    """Our own stylesheet, inlined so the HTML is self-contained (it is not user input)."""
    css = (paths.templates_dir() / "report" / "report.css").read_text(encoding="utf-8")
    # Our own stylesheet file, not user text.
    return Markup(css)  # noqa: S704  # nosec B704


# Stand-ins for the page counters while the footer's sentence goes through gettext.
PAGE, PAGES = "\x00page\x00", "\x00pages\x00"
_COUNTERS = re.compile(f"({PAGE}|{PAGES})")


def _css_string(text: str) -> str:
    """A CSS string of ``text``: quotes, backslashes, line breaks and "<" (which could end the
    style element) written as escapes."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>' or ord(c) < 32 else c for c in text)
    return f'"{escaped}"'


def page_numbers_css() -> Markup:
    """The page footer's "Page 3 of 12" in the current language, as CSS: the counters cannot
    be written by gettext, so the translated sentence is split around them."""
    sentence = _("Page %(page)s of %(pages)s", page=PAGE, pages=PAGES)
    counters = {PAGE: "counter(page)", PAGES: "counter(pages)"}
    parts = [
        counters.get(piece) or _css_string(piece) for piece in _COUNTERS.split(sentence) if piece
    ]
    rule = "@page { @bottom-right { content: " + " ".join(parts) + "; } }"
    # Our own rule; the translated words in it are CSS-escaped strings.
    return Markup(rule)  # noqa: S704  # nosec B704


def styles() -> Markup:
    """The stylesheet with the words it prints in the current language."""
    return _stylesheet() + Markup("\n") + page_numbers_css()
