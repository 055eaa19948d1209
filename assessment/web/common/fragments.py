"""Rendered HTML kept per state, so that a page draws again only what changed.

A section page draws ten or more questions, and drawing them (Jinja, the widget macros, dates
written by Babel) is most of its time, while between two loads almost none of them change. A
fragment is kept under a key that names everything its HTML is made of (for a question: the
question set's content hash, the question, every field of its answer's state, whether it is
shown), and ``cached`` adds the interface language to every key itself, so no caller can
forget it and each fragment is drawn under the language it is kept for. An entry is therefore
never stale, only unused: a colleague's change, saved through whichever worker, is a new state
and so a new key, and nothing has to be invalidated.

Only what the key names may be inside a fragment: nothing about the viewer (the CSRF token,
their name, their rights) and nothing else of the request. Whatever shows one request's
outcome (a problem to correct, a colleague's conflicting answer) is drawn without the cache.

Per process (each worker keeps its own), bounded, least recently used out first
(``assessment.lru``). Off while
Jinja reloads templates (debug), so that an edited template shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from assessment import i18n
from assessment.lru import LRUCache

# A question's fragment is about 4 KB: some 8 MB of HTML per worker at most, enough for every
# section of the assessments an organisation works on in each language.
SIZE = 2048


FRAGMENTS = LRUCache(SIZE)
# Whole lists of a section's questions (some 60 KB each): about 15 MB per worker at most.
SECTIONS = LRUCache(256)


def cached(key: tuple | None, render: Callable[[], Markup], store: LRUCache = FRAGMENTS) -> Markup:
    """``render()``'s HTML, kept under ``key`` in the current interface language and drawn
    only when that pair is not kept yet; with ``key`` None it is drawn every time.

    ``render`` returns Markup (a macro's output, escaped by the template); plain text is
    escaped here, never trusted, so the cache cannot turn text into markup."""
    if key is None or current_app.jinja_env.auto_reload:
        return escape(render())
    full = (i18n.current_language(), *key)
    html = store.get(full)
    if html is None:
        html = escape(render())
        store.put(full, html)
    return html


def forget_all() -> None:
    """Drop everything kept (tests start from nothing, to count what they draw)."""
    FRAGMENTS.clear()
    SECTIONS.clear()


def row_drawer(key_of: Callable[[Any], tuple | None]) -> Callable[[Any, Callable], Markup]:
    """How a list template draws its rows: ``row_html(row, macro)``, each row's HTML kept
    under ``key_of(row)``, which names every value the macro shows (a rename is a new key)."""

    def draw(row: Any, macro: Callable) -> Markup:
        return cached(key_of(row), lambda: macro(row))

    return draw
