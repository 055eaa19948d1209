"""Template filters shared by the pages and the report, so a score reads the same everywhere."""

from __future__ import annotations


def score(value: float | None) -> str:
    """A 0-100 score as a whole number; a dash when there is nothing to score."""
    return "–" if value is None else f"{value:.0f}"


def percent(value: float | None) -> str:
    """A 0-1 share as a whole percentage."""
    return "–" if value is None else f"{value * 100:.0f} %"


TEMPLATE_FILTERS = {"score": score, "percent": percent}
