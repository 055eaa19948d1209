"""The sector view's privacy rules, pure: which groups of organisations may be published, and
how figures are rounded. ``docs/sector-privacy.md`` states the rules and why they hold.

A *view* is the sector narrowed by at most one organisation kind and one country. Every view
that could be asked for is decided here at once, from the organisations' kinds and countries
only (never from their answers, and never from which view was asked for): the *published
family*. Its defining property, checked by ``atoms_ok``: split the organisations by which
published views they belong to; every part (an *atom*) holds at least k organisations. A sum
over any published view is a sum of whole atoms, so no difference, sum or other linear
combination of published figures can single out fewer than k organisations.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MIN_GROUP_FLOOR = 5  # k may be raised by configuration, never lowered below this
SHARE_STEP = 5  # shares are published in steps of 5 %


class MinGroupError(ValueError):
    """A minimum group size below the floor: the app refuses to start with it."""


def checked_min_group(value: object) -> int:
    """The configured k, refused below ``MIN_GROUP_FLOOR`` (or when not a whole number)."""
    try:
        k = int(str(value))
    except ValueError:
        raise MinGroupError(
            f"ASSESSMENT_SECTOR_MIN_GROUP must be a whole number: {value!r}"
        ) from None
    if k < MIN_GROUP_FLOOR:
        raise MinGroupError(
            f"ASSESSMENT_SECTOR_MIN_GROUP is {k}; the sector view needs at least "
            f"{MIN_GROUP_FLOOR} organisations behind every figure (docs/sector-privacy.md)"
        )
    return k


@dataclass(frozen=True, order=True)
class View:
    """The sector, or the part of it of one organisation kind and/or one country."""

    kind: str = ""
    country: str = ""

    @property
    def filters(self) -> int:
        return bool(self.kind) + bool(self.country)

    def holds(self, kind: str, country: str) -> bool:
        return (not self.kind or self.kind == kind) and (
            not self.country or self.country == country
        )


SECTOR = View()


def members(view: View, people: Mapping[int, tuple[str, str]]) -> frozenset[int]:
    """The organisations (keys of ``people``: organisation -> (kind, country)) in a view."""
    return frozenset(o for o, (kind, country) in people.items() if view.holds(kind, country))


def candidate_views(people: Mapping[int, tuple[str, str]]) -> list[View]:
    """Every view that could be asked for, in the fixed order the family is built in: the
    sector, then one filter, then two; larger groups first; ties by name."""
    kinds = Counter(kind for kind, _ in people.values())
    countries = Counter(country for _, country in people.values())
    pairs = Counter(people.values())
    views = [(0, 0, SECTOR)]
    views += [(1, -n, View(kind=kind)) for kind, n in kinds.items()]
    views += [(1, -n, View(country=country)) for country, n in countries.items()]
    views += [(2, -n, View(kind, country)) for (kind, country), n in pairs.items()]
    return [view for *_, view in sorted(views)]


def atoms(groups: Sequence[frozenset[int]], within: frozenset[int]) -> Counter:
    """How many organisations of ``within`` share each pattern of membership in ``groups``
    (organisations in none of the groups are in no published figure and are not counted)."""
    patterns: Counter = Counter()
    for organisation in within:
        pattern = tuple(organisation in group for group in groups)
        if any(pattern):
            patterns[pattern] += 1
    return patterns


def atoms_ok(groups: Sequence[frozenset[int]], within: frozenset[int], k: int) -> bool:
    return all(n >= k for n in atoms(groups, within).values())


def published_family(
    people: Mapping[int, tuple[str, str]], k: int, within: frozenset[int] | None = None
) -> dict[View, frozenset[int]]:
    """The views published for these organisations, with their members.

    Views are taken greedily in ``candidate_views`` order; one is kept if it has at least k
    organisations (of ``within``, when a figure counts only some of them) and keeping it leaves
    every atom with at least k. The result depends on kinds and countries only.
    """
    eligible = frozenset(people) if within is None else within
    chosen: dict[View, frozenset[int]] = {}
    for view in candidate_views(people):
        group = members(view, people) & eligible
        if len(group) < k:
            continue
        if atoms_ok([*chosen.values(), group], eligible, k):
            chosen[view] = group
    return chosen


def narrowed_family(
    family: Mapping[View, frozenset[int]], within: frozenset[int], k: int
) -> dict[View, frozenset[int]]:
    """The views of ``family`` in which a figure that counts only the organisations ``within``
    (those with a score for a section, say) is published: the same rule, on ``within``."""
    chosen: dict[View, frozenset[int]] = {}
    for view, group in family.items():
        narrowed = group & within
        if len(narrowed) < k:
            continue
        if atoms_ok([*chosen.values(), narrowed], within, k):
            chosen[view] = narrowed
    return chosen


# Rounding: what is published is coarser than what is computed.


def round_share(part: int, whole: int) -> int:
    """A share in per cent, to the nearest 5 (halves away from zero)."""
    if whole <= 0:
        raise ValueError("a share of nothing")
    return int(100 * part / whole / SHARE_STEP + 0.5) * SHARE_STEP


def round_score(value: float) -> int:
    """A score out of 100, to a whole number (halves up)."""
    return int(value + 0.5)


def quartiles(values: Iterable[float]) -> tuple[int, int, int]:
    """Q1, median and Q3 (inclusive method), rounded; never the lowest or highest value."""
    data = sorted(values)
    q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return round_score(q1), round_score(median), round_score(q3)


def median(values: Iterable[float]) -> int:
    return round_score(statistics.median(list(values)))
