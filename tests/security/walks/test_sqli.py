"""SQL injection payloads in every parameter and form field the suite knows:
path arguments of every rule, query parameters of every page, the login, and every field of
every state-changing form. No 500, no database error text, and the tables are still there.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote

import pytest
from sqlalchemy import func, select

from assessment.db import get_session
from assessment.models import Assessment, User
from assessment.web.auth.views import LOGIN_FAILED

from ...conftest import PASSWORD
from ..helpers import assert_no_leak, token_of
from ..routes import (
    ARG_VALUES,
    UNSAFE,
    build,
    client_for,
    inventory,
    pages_for,
    patterns_where,
    role_for,
    rule_named,
)

PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE user_account;--",
    "%27",
    "\u2019 OR \u20181\u2019=\u20181",  # unicode quotes
    "\u02bc OR 1=1--",
    '" OR ""="',
    "1' UNION SELECT password_hash FROM user_account--",
    "a\\' OR 1=1#",
    "1)) OR ((1=1",
]
QUERY_NAMES = ("organisation", "show", "from", "next", "version", "q", "sort", "page", "id")


@pytest.fixture(scope="module")
def app(walk_app):
    walk_app.config.update(
        LOGIN_LIMIT_PER_ADDRESS="10000 per minute",  # many failed logins by design here
        LOGIN_LIMIT_PER_ACCOUNT="10000 per minute",
        MFA_LIMIT="10000 per minute",
    )
    return walk_app


def assert_tables_intact(app) -> None:
    with app.app_context():
        session = get_session()
        assert session.scalar(select(func.count(User.id))) >= 3
        assert session.scalar(select(func.count(Assessment.id))) >= 4


@pytest.mark.parametrize("pattern", patterns_where(lambda r: bool(r.arguments)))
def test_sqli_in_every_path_argument(app, world, pattern):
    """Each argument of the rule in turn replaced by each payload; GET and POST (valid token)."""
    rule = rule_named(app, pattern)
    client = client_for(world, role_for(rule), app.test_client)
    token = token_of(client, "/login" if role_for(rule) == "anonymous" else "/account/password")
    for name in rule.arguments:
        if name in (rule.defaults or {}) or type(rule._converters[name]).__name__ == "AnyConverter":
            continue  # a fixed set of words: anything else does not match the rule at all
        valid = build(rule, world, **{name: ARG_VALUES[name](world)})
        marker = f"/{quote(str(ARG_VALUES[name](world)), safe='')}"
        for payload in PAYLOADS:
            path = valid.replace(marker, "/" + quote(payload, safe=""), 1)
            assert path != valid, (pattern, name)
            if "GET" in rule.methods:
                with client.get(path) as response:
                    assert_no_leak(response, f"GET {path}")
            if set(rule.methods) & UNSAFE:
                response = client.post(path, data={"csrf_token": token, "x": payload})
                assert_no_leak(response, f"POST {path}")
    assert_tables_intact(app)


@pytest.mark.parametrize("pattern", [r.rule for r in inventory() if "GET" in r.methods])
def test_sqli_in_query_parameters_of_every_page(app, world, pattern):
    for page in pages_for(rule_named(app, pattern), world):
        client = client_for(world, page.role, app.test_client)
        base, _, own_query = page.path(world).partition("?")
        for payload in PAYLOADS:
            query = dict(parse_qsl(own_query)) | {name: payload for name in QUERY_NAMES}
            with client.get(base, query_string=query) as response:
                assert_no_leak(response, f"GET {base}?...={payload}")
    assert_tables_intact(app)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sqli_in_the_login(app, world, payload):
    for email, password in (
        (payload, PASSWORD),
        (world.people.officer_a, payload),
        (payload, payload),
    ):
        client = app.test_client()
        response = client.submit("/login", {"email": email, "password": password})
        assert_no_leak(response, f"login {email!r}")
        assert response.status_code == 200
        assert LOGIN_FAILED in response.get_data(as_text=True)
        assert client.get("/assessments/").status_code == 302  # not logged in
    assert_tables_intact(app)


# Beyond SQL: values the database itself cannot take.

INT_RULES = [p for p in patterns_where(lambda r: "<int:" in r.rule)]


def test_an_id_beyond_the_integer_range_is_404(app, world):
    failures = []
    for pattern in INT_RULES:
        rule = rule_named(app, pattern)
        for name in [n for n in rule.arguments if f"<int:{n}>" in pattern]:
            path = build(rule, world, **{name: 2**63})
            client = client_for(world, role_for(rule), app.test_client)
            if "GET" in rule.methods:
                response = client.get(path)
                if response.status_code != 404:
                    failures.append(f"GET {path}: {response.status_code}")
    response = world.admin.get("/admin/users", query_string={"organisation": str(2**63)})
    if response.status_code != 200:
        failures.append(f"/admin/users?organisation=2**63: {response.status_code}")
    assert failures == []
