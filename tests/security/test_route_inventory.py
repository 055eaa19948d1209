"""Every URL rule of the app is walked by this suite.

A new route fails here until the walks reach it: an assessment route needs its probe in
``routes.TENANT_PROBES`` (and its page or action), an ``/admin`` route needs values for its
arguments in ``routes.ARG_VALUES``, a ``/sector`` route takes no id and needs its pages;
anything else needs a reason in PUBLIC or NOT_ID_BASED.
Entries for routes that no longer exist fail too.
"""

from __future__ import annotations

import re

from .routes import (
    ADMIN_PREFIX,
    ARG_VALUES,
    GET_PAGES,
    ID_ARGS,
    NOT_ID_BASED,
    PUBLIC,
    SECTOR_PREFIX,
    STATE_CHANGES,
    TENANT_PROBES,
    UNSAFE,
    inventory,
)


def _admin(rule) -> bool:
    return rule.rule.startswith(ADMIN_PREFIX)


def _sector(rule) -> bool:
    """The sector view: walked like /admin (officers 403), and its rules take no id."""
    return rule.rule.startswith(SECTOR_PREFIX)


def test_every_rule_is_walked_or_allow_listed():
    rules = inventory()
    patterns = [r.rule for r in rules]
    assert len(patterns) == len(set(patterns)), "two rules share a pattern; key them apart"
    uncovered = [
        f"{r.rule} ({r.endpoint})"
        for r in rules
        if not (
            _admin(r)
            or _sector(r)
            or r.rule in TENANT_PROBES
            or r.rule in PUBLIC
            or r.rule in NOT_ID_BASED
        )
    ]
    assert not uncovered, f"routes outside the isolation walk and the allow-lists: {uncovered}"


def test_allow_lists_are_small_disjoint_and_not_stale():
    patterns = {r.rule for r in inventory()}
    listed = [*TENANT_PROBES, *PUBLIC, *NOT_ID_BASED]
    assert len(listed) == len(set(listed)), "a rule is listed twice"
    stale = sorted((set(listed) | set(GET_PAGES) | set(STATE_CHANGES)) - patterns)
    assert not stale, f"entries for rules that no longer exist: {stale}"
    assert len(PUBLIC) <= 3  # small: every entry is a route no walk attacks by id
    assert len(NOT_ID_BASED) <= 10
    assert not any(p.startswith(ADMIN_PREFIX) for p in [*PUBLIC, *NOT_ID_BASED])
    assert not any(p.startswith(SECTOR_PREFIX) for p in [*PUBLIC, *NOT_ID_BASED])
    assert not any(r.arguments for r in inventory() if _sector(r)), "a sector rule takes an id"


def test_every_rule_with_an_id_is_walked():
    for rule in inventory():
        if rule.rule in PUBLIC or not rule.arguments:
            continue
        if rule.rule in NOT_ID_BASED:  # only a fixed set of words, never an object's id
            for name, converter in rule._converters.items():
                assert type(converter).__name__ == "AnyConverter", f"{rule.rule}: {name}"
            continue
        assert _admin(rule) or rule.rule in TENANT_PROBES, rule.rule
        unknown = set(rule.arguments) - set(ARG_VALUES)
        assert not unknown, f"{rule.rule}: add values for {unknown} to routes.ARG_VALUES"
        for name in re.findall(r"<int:(\w+)>", rule.rule):
            assert name in ID_ARGS, f"{rule.rule}: is <int:{name}> an object id? see ID_ARGS"


def test_every_state_changing_rule_is_in_the_csrf_walk():
    for rule in inventory():
        if set(rule.methods) & UNSAFE and not _admin(rule):
            assert rule.rule in STATE_CHANGES, f"{rule.rule}: add its action to STATE_CHANGES"


def test_every_rule_answering_get_is_in_the_get_walk():
    for rule in inventory():
        if "GET" in rule.methods and not _admin(rule):
            assert rule.rule in GET_PAGES, f"{rule.rule}: add its pages to GET_PAGES"
