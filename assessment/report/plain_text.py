"""Text that a viewer shows as it was typed: for PDF metadata, bookmarks and file names.

A file manager, a PDF viewer's title bar or a download dialog applies the Unicode
bidirectional algorithm to what it shows: a right-to-left override (U+202E) in an organisation
name makes "Port", U+202E, "fdp.exe" look like "Portexe.pdf". Control characters (NUL, line
breaks, C1 controls) break headers and log lines. Neither belongs in one line of text, so both
go; letters, digits and the joiners some scripts need (U+200C, U+200D) stay.
"""

from __future__ import annotations

import unicodedata

# The bidirectional formatting characters: embeddings, overrides, isolates and marks.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Invisible characters that only hide what follows: the byte-order mark, the word joiner.
INVISIBLE = frozenset("\ufeff\u2060")


def one_line(text: str | None) -> str:
    """``text`` without bidirectional controls or invisible marks, every control character
    and line or paragraph separator made a space, runs of spaces made one."""
    if not text:
        return ""
    kept = []
    for char in text:
        if char in BIDI_CONTROLS or char in INVISIBLE:
            continue
        kept.append(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char)
    return " ".join("".join(kept).split())
