"""Template filters shared by the pages and the report, so a score reads the same everywhere."""

from __future__ import annotations

from datetime import date, datetime


def score(value: float | None) -> str:
    """A 0-100 score as a whole number; a dash when there is nothing to score."""
    return "–" if value is None else f"{value:.0f}"


def percent(value: float | None) -> str:
    """A 0-1 share as a whole percentage."""
    return "–" if value is None else f"{value * 100:.0f} %"


def when(value: datetime | None) -> str:
    """A moment, one way everywhere: date, time and the zone (the database keeps UTC)."""
    return "–" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def day(value: date | datetime | None) -> str:
    return "–" if value is None else f"{value:%Y-%m-%d}"


TEMPLATE_FILTERS = {"score": score, "percent": percent, "when": when, "day": day}
