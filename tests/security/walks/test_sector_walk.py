"""The sector analyst against every organisation's route.

An analyst sees the sector view's aggregates and nothing else: every rule of the app outside
``/sector``, the login and the analyst's own account answers 403 (GET, and POST with the
analyst's own valid CSRF token), shows nothing of organisation A, and changes nothing. The
walk uses the world's real ids (A's assessments, moves, reports, users), as in the isolation
walk.
"""

from __future__ import annotations

import pytest

from ..helpers import assert_no_leak, changed_tables, snapshot, token_of, with_token
from ..routes import (
    NOT_ID_BASED,
    PUBLIC,
    SECTOR_PREFIX,
    TENANT_PROBES,
    build,
    patterns_where,
    rule_named,
    tenant_path,
)
from .test_isolation import A_SECRETS, hostile_data

# The analyst's own account and session: theirs to use, about no organisation.
OWN = {p for p in NOT_ID_BASED if p.startswith(("/account", "/logout", "/login"))} | {"/", "/home"}
REFUSED = patterns_where(
    lambda r: not r.rule.startswith(SECTOR_PREFIX) and r.rule not in PUBLIC and r.rule not in OWN
)


def _path(rule, world) -> str:
    return tenant_path(rule, world) if rule.rule in TENANT_PROBES else build(rule, world)


@pytest.mark.parametrize("pattern", REFUSED)
def test_the_analyst_is_refused_every_organisation_route(app, world, pattern):
    rule = rule_named(app, pattern)
    path = _path(rule, world)
    token = token_of(world.analyst)
    before = snapshot(app)
    for method in sorted({"GET", "POST"} & set(rule.methods)):
        data = with_token(hostile_data(world, pattern), token) if method == "POST" else None
        response = world.analyst.open(path, method=method, data=data)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
        body = response.get_data(as_text=True)
        for secret in A_SECRETS:
            assert secret not in body, f"{method} {path} shows {secret!r}"
        assert_no_leak(response, f"{method} {path}")
    assert changed_tables(before, snapshot(app)) == []


def test_the_analyst_lands_on_the_sector_view(world):
    assert world.analyst.get("/home").headers["Location"] == "/sector/"
    page = world.analyst.get("/sector/")
    assert page.status_code == 200
    for secret in A_SECRETS:
        assert secret not in page.get_data(as_text=True)
