"""Template filters shared by the pages and the report, so a score reads the same everywhere.

Numbers, percentages and dates are written by Babel for the current language
(``i18n.format_locale``: the request's, or the report's inside ``force_language``): 42 % in
French, 1,5 in Dutch, 1 Dec 2026 in English. A moment is always shown with its zone, UTC, in
which the database keeps it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_decimal, format_percent

from assessment import i18n

NOTHING = "–"


def _locale() -> Locale:
    """The current language's Babel locale, parsed once: Babel parses a locale name again on
    every call, a quarter of a number's formatting time (the results page formats hundreds)."""
    return _parsed(i18n.format_locale())


@lru_cache(maxsize=32)
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


def score(value: float | None) -> str:
    """A 0-100 score as a whole number; a dash when there is nothing to score."""
    if value is None:
        return NOTHING
    return format_decimal(value, format="0", locale=_locale())


def percent(value: float | None) -> str:
    """A 0-1 share as a whole percentage, the sign placed as the language places it."""
    if value is None:
        return NOTHING
    return format_percent(value, locale=_locale())


def number(value: float | None) -> str:
    """A weight or a factor: up to three decimals, with the language's decimal mark."""
    if value is None:
        return NOTHING
    return format_decimal(value, format="0.###", locale=_locale())


def change(value: float | None) -> str:
    """A change of score as a signed whole number (+3, -12, +0)."""
    if value is None:
        return NOTHING
    return format_decimal(value, format="+0;-0", locale=_locale())


def when(value: datetime | None) -> str:
    """A moment, one way everywhere: the date, the time to the minute and the zone, joined as
    the language joins them ("1 Dec 2026, 14:05 UTC"). Naive values are UTC already."""
    if value is None:
        return NOTHING
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    locale = _locale()
    moment = (
        get_datetime_format("medium", locale=locale)
        .replace("{1}", format_date(value, "medium", locale=locale))
        .replace("{0}", format_time(value, "HH:mm", locale=locale))
    )
    return f"{moment} UTC"


def day(value: date | datetime | str | None) -> str:
    """A day, as the language writes it in running text ("1 Dec 2026"); also an ISO date, as
    answers keep when their evidence was checked."""
    if not value:
        return NOTHING
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value, "medium", locale=_locale())


TEMPLATE_FILTERS = {
    "score": score,
    "percent": percent,
    "number": number,
    "change": change,
    "when": when,
    "day": day,
}
