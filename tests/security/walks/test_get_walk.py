"""Every page of the inventory, as the role that uses it.

No GET changes the database, and every response carries the security headers. The walk reads
only, so one world per backend serves the whole module.
"""

from __future__ import annotations

import pytest

from ..helpers import assert_no_leak, assert_security_headers, changed_tables, snapshot
from ..routes import client_for, inventory, pages_for, rule_named

# Asking for a report puts it in the queue of report workers (the report table): a cache of
# what the GET shows, not a change anyone made. Everything else must stay as it was.
CACHES = ("report",)
# Opening the enrolment page keeps the secret it shows on the server (not in the cookie) until
# a first code confirms it: written once, the same on every visit, used by nothing else.
PENDING = {"user_account": {"mfa_setup_secret"}}

READABLE = [rule.rule for rule in inventory() if "GET" in rule.methods]


def prepare(app, world, pattern: str) -> list:
    """(page, client) for every page of a rule; clients are made (and logged in) first."""
    return [
        (page, client_for(world, page.role, app.test_client))
        for page in pages_for(rule_named(app, pattern), world)
    ]


def fetch_all(world, prepared: list) -> list:
    """GET every page as its role; each status as the page table expects."""
    responses = []
    for page, client in prepared:
        path = page.path(world)
        with client.get(path) as response:
            response.get_data()
        if page.expect:
            assert response.status_code in page.expect, (page.role, path, response.status_code)
        assert_no_leak(response, f"GET {path} as {page.role}")
        responses.append((path, response))
    return responses


@pytest.mark.parametrize("pattern", READABLE)
def test_no_get_changes_state(app, world, pattern):
    prepared = prepare(app, world, pattern)
    before = snapshot(app, exclude=CACHES, ignore_columns=PENDING)
    fetch_all(world, prepared)
    fetch_all(world, prepared)  # twice: a second visit changes nothing either
    assert changed_tables(before, snapshot(app, exclude=CACHES, ignore_columns=PENDING)) == []


@pytest.mark.parametrize("pattern", READABLE)
def test_security_headers_on_every_page(app, world, pattern):
    for path, response in fetch_all(world, prepare(app, world, pattern)):
        assert_security_headers(response, cacheable=path.startswith("/static/"))
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            assert "<script>" not in body, path  # no inline script: CSP forbids it anyway
            assert "Werkzeug Debugger" not in body
        elif response.status_code == 200 and not path.startswith(("/static/", "/healthz")):
            assert response.headers["Content-Disposition"].startswith("attachment;"), path
