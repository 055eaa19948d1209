"""The sector view's privacy rules (docs/sector-privacy.md), as properties over random sectors.

Each organisation's answers to tests/data/scoring.yaml are drawn at random and scored by the
real engine; the figures of every view that could be asked for are then checked:

- no published figure rests on fewer than k organisations;
- the published views leave every atom (organisations in exactly the same views) with at
  least k, so no difference of two filtered views isolates fewer than k;
- swapping the data of two organisations of one atom changes no published figure at all:
  nothing published can tell one organisation's answers from another's;
- no comment, evidence or free text reaches any published file.

That opted-out organisations never count is a property of the loading (who is passed in here):
``tests/web/test_sector.py::test_opted_out_organisations_never_count`` checks it on both
databases, over random choices of who shares.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.questionset import Answer, load_question_set
from assessment.report.sector import figures_json
from assessment.scoring import score
from assessment.services import sector
from assessment.services import sector_privacy as privacy
from assessment.services.sector_model import Contribution
from assessment.services.sector_privacy import SECTOR, View

DATA = Path(__file__).resolve().parents[1] / "data"
QS = load_question_set((DATA / "scoring.yaml").read_bytes(), "scoring.yaml")
KINDS = ["port_authority", "terminal", "other"]
COUNTRIES = ["NL", "BE", "DE"]
SECRET = "Secret-Aldport-comment"


@st.composite
def answers(draw) -> dict[str, Answer]:
    raw = {
        "p-ot": draw(st.sampled_from(["yes", "no", None])),
        "a1": draw(st.sampled_from(["yes", "partly", "no", "dont_know", None])),
        "a2": draw(st.sampled_from([0, 1, 2, 3, 4, "dont_know", None])),
        "b1": draw(st.sampled_from([[], ["x"], ["x", "y"], ["z"], ["x", "y", "z"], None])),
        "b2": draw(st.sampled_from([3, 20, 400, None])),
        "c1": draw(st.sampled_from(["yes", "no", None])),
        "c2": SECRET,
    }
    parsed = {}
    for question_id, value in raw.items():
        if value is None or (question_id.startswith("c") and raw["p-ot"] != "yes"):
            continue
        answer = QS.question(question_id).parse_answer(value)
        parsed[question_id] = Answer(answer.value, answer.status, SECRET, SECRET)
    return parsed


@st.composite
def organisations(draw, min_size: int = 0, max_size: int = 24) -> list[Contribution]:
    """Organisations with one to three completed assessments over 2024-2026."""
    count = draw(st.integers(min_size, max_size))
    contributions = []
    for organisation in range(1, count + 1):
        kind = draw(st.sampled_from(KINDS))
        country = draw(st.sampled_from(COUNTRIES))
        years = draw(st.lists(st.sampled_from([2024, 2025, 2026]), min_size=1, max_size=3))
        for n, year in enumerate(years):
            given_answers = draw(answers())
            profile = sector.profile_of(QS, given_answers, score(QS, given_answers))
            completed = datetime(year, 1 + n, 1 + organisation % 27)
            contributions.append(Contribution(organisation, kind, country, completed, profile))
    return contributions


K = st.sampled_from([5, 6])


def every_view(contributions) -> list[View]:
    people = {c.organisation: (c.kind, c.country) for c in contributions}
    return privacy.candidate_views(people) + [View("terminal", "XX"), View(country="FR")]


def members(contributions, view: View) -> frozenset[int]:
    latest = sector.latest_per_organisation(contributions)
    return frozenset(c.organisation for c in latest if view.holds(c.kind, c.country))


def all_figures(contributions, k: int) -> dict[View, object]:
    return {v: sector.sector_figures(QS, contributions, v, k) for v in every_view(contributions)}


def brute_atoms(groups: list[frozenset[int]]) -> Counter:
    """Atoms counted the plain way (independent of sector_privacy.atoms)."""
    everyone = set().union(*groups) if groups else set()
    return Counter(tuple(o in g for g in groups) for o in everyone)


@given(organisations(), K)
def test_no_published_figure_rests_on_fewer_than_k_organisations(contributions, k):
    for view, figures in all_figures(contributions, k).items():
        if not figures.published:
            assert figures.reason == sector.NOT_ENOUGH
            assert figures.organisations is None
            assert figures.sections == figures.questions == figures.weaknesses == ()
            continue
        assert figures.organisations == len(members(contributions, view)) >= k
        spreads = [figures.overall, *(s.spread for s in figures.sections)]
        spreads += [y.spread for y in figures.trend]
        assert all(s.organisations >= k for s in spreads if s is not None)
        for question in figures.questions:
            assert all(
                share.share % 5 == 0 and 0 <= share.share <= 100 for share in question.shares
            )


@given(organisations(), K)
def test_published_views_leave_every_atom_with_at_least_k(contributions, k):
    figures = all_figures(contributions, k)
    published = [v for v, f in figures.items() if f.published]
    groups = [members(contributions, v) for v in published]
    assert all(n >= k for n in brute_atoms(groups).values())
    # The documented attack: two views differing by a filter (or any two views) never differ
    # by fewer than k organisations, either way.
    for a, b in itertools.combinations(groups, 2):
        assert len(a - b) in (0, *range(k, 10_000))
        assert len(b - a) in (0, *range(k, 10_000))
    # The same for each section score, over the organisations with a score in it.
    latest = sector.latest_per_organisation(contributions)
    for index, section in enumerate(s for s in QS.sections if s.is_scored):
        scored = {c.organisation for c in latest if c.profile.sections.get(section.id) is not None}
        shown = [v for v in published if figures[v].sections[index].spread is not None]
        narrowed = [members(contributions, v) & scored for v in shown]
        assert all(n >= k for n in brute_atoms(narrowed).values()), section.id


def _swap(contributions, one: int, other: int) -> list[Contribution]:
    """The two organisations' assessments exchanged (each keeps its own type and country)."""
    labels = {c.organisation: (c.kind, c.country) for c in contributions}
    swapped = []
    for c in contributions:
        owner = {one: other, other: one}.get(c.organisation, c.organisation)
        swapped.append(
            dataclasses.replace(
                c, organisation=owner, kind=labels[owner][0], country=labels[owner][1]
            )
        )
    return swapped


@given(organisations(min_size=5), K, st.data())
def test_no_figure_tells_two_organisations_of_an_atom_apart(contributions, k, data):
    """If any combination of published figures could isolate an organisation's answers, then
    exchanging its answers with those of another organisation would change some figure."""
    figures = all_figures(contributions, k)
    published = [v for v, f in figures.items() if f.published]
    if not published:
        return
    signature = {
        o: tuple(o in members(contributions, v) for v in published)
        for o in {c.organisation for c in contributions}
    }
    one = data.draw(st.sampled_from(sorted(o for o, s in signature.items() if any(s))))
    partners = sorted(o for o, s in signature.items() if s == signature[one] and o != one)
    assert partners, "an organisation alone in its atom"
    other = data.draw(st.sampled_from(partners))
    assert all_figures(_swap(contributions, one, other), k) == figures


@given(organisations(min_size=5))
def test_no_comment_evidence_or_free_text_is_ever_published(contributions):
    for view, figures in all_figures(contributions, 5).items():
        text = figures_json(figures, {"view": str(view)})
        assert SECRET not in text
        assert "Secret" not in json.dumps(dataclasses.asdict(figures.view))


def test_a_filter_whose_leftover_is_one_organisation_is_refused():
    """Types T (6), P (5), O (1): T passes, and so would P alone, but sector - T - P = O."""
    people = {o: ("terminal", "NL") for o in range(6)}
    people |= {o: ("port_authority", "NL") for o in range(6, 11)}
    people |= {11: ("other", "NL")}
    family = privacy.published_family(people, 5)
    assert SECTOR in family
    assert View(kind="terminal") in family
    assert View(kind="port_authority") not in family


def test_a_filter_is_shown_only_if_its_complement_is_large_enough():
    people = {o: ("terminal", "NL") for o in range(7)} | {o: ("other", "BE") for o in range(7, 11)}
    family = privacy.published_family(people, 5)
    assert list(family) == [SECTOR]  # terminals (7) leave 4 others: not shown


@pytest.mark.parametrize("value", [0, 1, 4, "4", "-5", "five"])
def test_k_below_five_is_refused(value):
    with pytest.raises(privacy.MinGroupError):
        privacy.checked_min_group(value)


def test_the_app_refuses_to_start_with_k_below_five():
    from assessment import create_app

    settings = {"TESTING": True, "SECRET_KEY": "k" * 32, "DATABASE_URL": "sqlite://"}
    with pytest.raises(privacy.MinGroupError):
        create_app(settings | {"SECTOR_MIN_GROUP": 3})
    assert create_app(settings | {"SECTOR_MIN_GROUP": "8"}).config["SECTOR_MIN_GROUP"] == 8


@pytest.mark.parametrize(
    ("part", "whole", "share"),
    [(0, 5, 0), (1, 5, 20), (1, 7, 15), (1, 40, 5), (1, 41, 0), (7, 7, 100)],
)
def test_shares_are_rounded_to_five_per_cent(part, whole, share):
    assert privacy.round_share(part, whole) == share


def test_quartiles_are_whole_numbers_and_never_the_extremes():
    assert privacy.quartiles([10.0, 20.4, 30.5, 40.0, 99.0]) == (20, 31, 40)
