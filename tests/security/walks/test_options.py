"""OPTIONS on every route: Flask answered it itself with a 200 and the list of methods, for
anyone, logged in or not (wapiti's "methods" finding). The app serves only its own pages,
whose browsers never send it, so every route answers 405 with the generic page, and nothing
changes.
"""

from __future__ import annotations

import pytest

from ..helpers import assert_generic_error, assert_security_headers, changed_tables, snapshot
from ..routes import build, client_for, inventory, role_for, rule_named

RULES = [rule.rule for rule in inventory()]


@pytest.mark.parametrize("pattern", RULES)
def test_options_is_not_allowed_anywhere(app, world, pattern):
    rule = rule_named(app, pattern)
    path = build(rule, world)
    before = snapshot(app)
    for role in dict.fromkeys(["anonymous", role_for(rule)]):
        response = client_for(world, role, app.test_client).options(path)
        assert_generic_error(response, 405)
        assert_security_headers(response)
        assert "OPTIONS" not in response.headers.get("Allow", ""), (role, path)
    assert changed_tables(before, snapshot(app)) == []
