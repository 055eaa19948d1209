"""The sector view: aggregates over the completed assessments organisations chose to share.

Pure: the functions here take a question set and a list of ``Contribution`` (what one completed
assessment contributes: scores, answer categories, open weaknesses and threat exposure, with
its organisation's kind and country and an opaque key, never a name or a text) and return
figures that ``sector_privacy`` allows to be published. Loading contributions from the database
is ``sector_data``'s work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from assessment.limits import AnswerStatus
from assessment.questionset import Answer, QuestionSet
from assessment.report.context import EXPOSURE_LABELS
from assessment.scoring import Result

from . import sector_privacy as privacy
from .sector_model import (
    Comparison,
    Contribution,
    Figures,
    Profile,
    QuestionFigure,
    SectionFigure,
    SectionStanding,
    Share,
    Spread,
    ThreatFigure,
    WeaknessFigure,
    WeaknessStanding,
    YearFigure,
)
from .sector_privacy import SECTOR, View

# Question types whose answers are published as distributions. Numbers could identify an
# organisation (a count of staff, of days) and texts are free text: neither is ever published.
DISTRIBUTED_TYPES = ("single_choice", "multiple_choice", "maturity")
SPECIAL_CATEGORIES = {
    AnswerStatus.DONT_KNOW.value: "Don't know",
    AnswerStatus.NOT_APPLICABLE.value: "Not applicable",
    AnswerStatus.UNANSWERED.value: "Not answered",
    AnswerStatus.HIDDEN.value: "Not asked (profile)",
}
NONE_TICKED = "<none>"  # no choice id can look like this (limits.ID_PATTERN)
COMMON_WEAKNESSES = ("critical", "high")
TOP_WEAKNESSES = 10
COMMON_SHARE = 50  # an officer's weakness open in at least this share of organisations
RARE_SHARE = 15  # ... or in at most this share (rounded)
EXPOSURES = ("exposed", "partly", "covered", "not_assessed")
NOT_ENOUGH = "Not enough organisations"


def _categories(question, answer: Answer | None, status: str) -> frozenset[str]:
    if status != AnswerStatus.ANSWERED.value or answer is None:
        return frozenset({status})
    if question.type_name == "multiple_choice":
        return frozenset(answer.value) or frozenset({NONE_TICKED})
    return frozenset({str(answer.value)})


def profile_of(question_set: QuestionSet, answers: Mapping[str, Answer], result: Result) -> Profile:
    """The contribution of one assessment's answers and result (comments, evidence and free
    text stay behind: only categories and scores are taken)."""
    categories = {}
    for question in result.questions:
        kind = question_set.question(question.question_id).type_name
        if kind in DISTRIBUTED_TYPES:
            categories[question.question_id] = _categories(
                question_set.question(question.question_id),
                answers.get(question.question_id),
                str(question.status),
            )
    return Profile(
        overall=result.overall,
        sections={s.id: s.score for s in result.sections},
        answers=categories,
        weaknesses=frozenset(w.question_id for w in result.weaknesses),
        threats={t.id: t.exposure for t in result.threats},
    )


def latest_per_organisation(contributions: Iterable[Contribution]) -> list[Contribution]:
    """Each organisation's most recently completed assessment."""
    latest: dict[int, Contribution] = {}
    for item in contributions:
        held = latest.get(item.organisation)
        if held is None or item.completed > held.completed:
            latest[item.organisation] = item
    return sorted(latest.values(), key=lambda c: c.organisation)


def _people(contributions: Iterable[Contribution]) -> dict[int, tuple[str, str]]:
    return {c.organisation: (c.kind, c.country) for c in contributions}


def _spread(
    view: View,
    family: Mapping[View, frozenset[int]],
    values: Mapping[int, float | None],
    k: int,
) -> Spread | None:
    """The quartiles of ``values`` over the view, if the view is published for this figure."""
    scored = frozenset(o for o, v in values.items() if v is not None)
    narrowed = privacy.narrowed_family(family, scored, k)
    if view not in narrowed:
        return None
    chosen = [values[o] for o in narrowed[view]]
    return Spread(len(chosen), *privacy.quartiles(chosen))


def sector_figures(
    question_set: QuestionSet,
    contributions: Iterable[Contribution],
    view: View = SECTOR,
    k: int = privacy.MIN_GROUP_FLOOR,
) -> Figures:
    """The figures of one view over the latest completed assessment of each organisation
    (``contributions`` are of ``question_set``'s version and shared, opted-in organisations
    only: whoever loads them filters). A view outside the published family shows nothing."""
    k = privacy.checked_min_group(k)
    every = list(contributions)
    latest = latest_per_organisation(every)
    family = privacy.published_family(_people(latest), k)
    views = tuple(family)
    trend = _trend(every, latest, family, k)
    if view not in family:
        return Figures(view, False, None, views, trend=trend, reason=NOT_ENOUGH, min_group=k)
    group = [c for c in latest if c.organisation in family[view]]
    return Figures(
        view=view,
        published=True,
        organisations=len(group),
        views=views,
        overall=_spread(view, family, {c.organisation: c.profile.overall for c in latest}, k),
        sections=tuple(
            SectionFigure(
                s.id,
                s.title,
                _spread(
                    view, family, {c.organisation: c.profile.sections.get(s.id) for c in latest}, k
                ),
            )
            for s in question_set.sections
            if s.is_scored
        ),
        questions=_questions(question_set, group),
        weaknesses=_weaknesses(question_set, group),
        threats=_threats(question_set, group),
        trend=trend,
        min_group=k,
    )


def _questions(question_set: QuestionSet, group: list[Contribution]) -> tuple[QuestionFigure, ...]:
    """Per question, the share of the group in each category: every organisation of the group
    counts in every question (not asked and not answered are categories too), so that each
    share rests on the whole group."""
    figures = []
    for section in question_set.sections:
        for question in section.questions:
            if question.type_name not in DISTRIBUTED_TYPES:
                continue
            counts: Counter = Counter()
            for item in group:
                counts.update(item.profile.answers.get(question.id, {"hidden"}))
            figures.append(
                QuestionFigure(
                    question.id,
                    section.title,
                    question.text,
                    question.type_name == "multiple_choice",
                    tuple(
                        Share(label, privacy.round_share(counts[key], len(group)))
                        for key, label in _category_labels(question)
                        if counts[key] or key not in SPECIAL_CATEGORIES
                    ),
                )
            )
    return tuple(figures)


def _category_labels(question) -> list[tuple[str, str]]:
    if question.type_name == "maturity":
        regular = [(str(n), f"Level {n}: {lv.label}") for n, lv in enumerate(question.levels)]
    else:
        regular = [
            (c.id, c.label)
            for c in question.answer_choices
            if not (c.dont_know or c.not_applicable)
        ]
    if question.type_name == "multiple_choice":
        regular.append((NONE_TICKED, "Nothing ticked"))
    return regular + list(SPECIAL_CATEGORIES.items())


def _weaknesses(question_set: QuestionSet, group: list[Contribution]) -> tuple[WeaknessFigure, ...]:
    """The open critical and high weaknesses found in most organisations of the group."""
    counts = Counter(w for item in group for w in item.profile.weaknesses)
    found = []
    for question in question_set.questions():
        weakness = getattr(question, "weakness", None)
        if weakness is None or weakness.severity not in COMMON_WEAKNESSES:
            continue
        if counts[question.id]:
            share = privacy.round_share(counts[question.id], len(group))
            titles = tuple(question_set.mitigation(m).title for m in question.mitigations)
            found.append(
                WeaknessFigure(question.id, weakness.title, weakness.severity, share, titles)
            )
    found.sort(key=lambda w: (-w.share, COMMON_WEAKNESSES.index(w.severity)))
    return tuple(found[:TOP_WEAKNESSES])


def _threats(question_set: QuestionSet, group: list[Contribution]) -> tuple[ThreatFigure, ...]:
    figures = []
    for threat in question_set.threats:
        counts = Counter(item.profile.threats.get(threat.id, "not_assessed") for item in group)
        shares = tuple(
            Share(EXPOSURE_LABELS[e], privacy.round_share(counts[e], len(group))) for e in EXPOSURES
        )
        figures.append(ThreatFigure(threat.id, threat.title, shares))
    return tuple(figures)


def _unit(item: Contribution) -> tuple[int, datetime]:
    return (item.organisation, item.completed)


def _trend(
    every: list[Contribution],
    latest: list[Contribution],
    family: Mapping[View, frozenset[int]],
    k: int,
) -> tuple[YearFigure, ...]:
    """The whole sector's overall score per year, over each organisation's latest assessment
    completed that year.

    A year's group may hold the very assessments of the published views (the latest of an
    organisation that did nothing since), so the atoms rule is applied to assessments across
    both: a year is published only if, beside the views' groups and the years kept before it
    (newest first), every atom keeps at least k assessments.
    """
    scored = [c for c in every if c.profile.overall is not None]
    by_organisation = {c.organisation: c for c in latest}
    kept = [
        frozenset(_unit(by_organisation[o]) for o in group)
        for group in privacy.narrowed_family(
            family, frozenset(c.organisation for c in latest if c.profile.overall is not None), k
        ).values()
    ]
    universe = frozenset(_unit(c) for c in scored)
    spreads: dict[int, Spread] = {}
    for year in sorted({c.year for c in scored}, reverse=True):
        group = latest_per_organisation(c for c in scored if c.year == year)
        units = frozenset(_unit(c) for c in group)
        if len(units) >= k and privacy.atoms_ok([*kept, units], universe, k):
            kept.append(units)
            values = [c.profile.overall for c in group]
            spreads[year] = Spread(len(values), *privacy.quartiles(values))
    figures: list[YearFigure] = []
    previous: int | None = None
    for year in sorted({c.year for c in every}):
        spread = spreads.get(year)
        change = None if spread is None or previous is None else spread.median - previous
        previous = spread.median if spread is not None else previous
        figures.append(YearFigure(year, spread, change))
    return tuple(figures)


# Where one organisation stands (its results page)


def compare_with_sector(
    question_set: QuestionSet,
    contributions: Iterable[Contribution],
    own: int,
    result: Result,
    k: int = privacy.MIN_GROUP_FLOOR,
) -> Comparison:
    """An organisation's section scores beside the sector's quartiles, and which of its open
    weaknesses are common or rare in the sector. The organisation knows its own contribution,
    so every figure needs k organisations *besides* it (and the usual rules for the sector)."""
    k = privacy.checked_min_group(k)
    latest = latest_per_organisation(contributions)
    others = [c for c in latest if c.organisation != own]
    family = {
        view: group
        for view, group in privacy.published_family(_people(latest), k).items()
        if view == SECTOR
    }
    if SECTOR not in family or len(others) < k:
        return Comparison(False, NOT_ENOUGH, min_group=k)
    sections = []
    for section in result.sections:
        values = {c.organisation: c.profile.sections.get(section.id) for c in latest}
        besides = sum(values[c.organisation] is not None for c in others)
        spread = _spread(SECTOR, family, values, k) if besides >= k else None
        if question_set.section(section.id).is_scored:
            sections.append(SectionStanding(section.id, section.title, section.score, spread))
    counts = Counter(w for item in latest for w in item.profile.weaknesses)
    shares = [
        WeaknessStanding(
            w.question_id,
            w.title,
            w.severity,
            privacy.round_share(counts[w.question_id], len(latest)),
        )
        for w in result.weaknesses
    ]
    return Comparison(
        True,
        organisations=len(latest),
        sections=tuple(sections),
        common=tuple(w for w in shares if w.share >= COMMON_SHARE),
        rare=tuple(w for w in shares if w.share <= RARE_SHARE),
        min_group=k,
    )
