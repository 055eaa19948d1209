"""Officer B against organisation A's objects.

Every route of the isolation walk (routes.ISOLATION_WALK), GET and POST with B's own valid CSRF
token: assessment routes answer 404 (not 403: nothing about A's data is confirmed), admin routes
403, and the database is exactly as before.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from assessment.db import get_session
from assessment.models import (
    Assessment,
    AssessmentMove,
    Organisation,
    QuestionSetVersion,
    Report,
    User,
)

from ..helpers import assert_no_leak, changed_tables, snapshot, token_of, with_token
from ..routes import (
    ADMIN_PREFIX,
    ID_ARGS,
    SECTOR_PREFIX,
    STATE_CHANGES,
    TENANT_PROBES,
    build,
    patterns_where,
    rule_named,
    tenant_path,
)

A_SECRETS = (
    "Aldport secret",
    "Aldport 2026",
    "Aldport 2025",
    "Port of Aldport",
    "Container terminal",
)


def hostile_data(world, pattern: str):
    """What a real form of this route sends (A's own section form for answers), or a guess."""
    if pattern in STATE_CHANGES:
        return STATE_CHANGES[pattern].data(world, world.officer_a)
    return {"name": "Owned", "role": "admin", "organisation_id": str(world.org_b)}


def assert_refused(response, code: int, where: str) -> None:
    assert response.status_code == code, f"{where}: {response.status_code}"
    body = response.get_data(as_text=True)
    for secret in A_SECRETS:
        assert secret not in body, f"{where} shows {secret!r}"
    assert_no_leak(response, where)


def attack(world, path: str, methods: set[str], code: int, data, token: str) -> None:
    """Officer B: GET (HTML and JSON) and POST (token in the form, then in a header)."""
    if "GET" in methods:
        assert_refused(world.officer_b.get(path), code, f"GET {path}")
        json = world.officer_b.get(path, headers={"Accept": "application/json"})
        assert_refused(json, code, f"GET {path} as JSON")
    if "POST" in methods:
        assert_refused(
            world.officer_b.post(path, data=with_token(data, token)), code, f"POST {path}"
        )
        header = world.officer_b.post(
            path, data=with_token(data, None), headers={"X-CSRFToken": token}
        )
        assert_refused(header, code, f"POST {path} with the token in a header")


ASSESSMENT_RULES = [p for p, probe in TENANT_PROBES.items() if probe.kind == "assessment"]
ADMIN_RULES = patterns_where(lambda r: r.rule.startswith(ADMIN_PREFIX))
SECTOR_RULES = patterns_where(lambda r: r.rule.startswith(SECTOR_PREFIX))


@pytest.mark.parametrize("pattern", ASSESSMENT_RULES)
def test_officer_b_gets_404_on_a_s_assessment_routes(app, world, pattern):
    rule = rule_named(app, pattern)
    path = tenant_path(rule, world)
    data = hostile_data(world, pattern)
    if "GET" in rule.methods:  # control: the path is real and its owner reaches it
        assert world.officer_a.get(path).status_code in (200, 302, 303), path
    before = snapshot(app)
    attack(world, path, rule.methods, 404, data, token_of(world.officer_b))
    assert changed_tables(before, snapshot(app)) == []


@pytest.mark.parametrize("pattern", ADMIN_RULES + SECTOR_RULES)
def test_officer_b_gets_403_on_every_admin_route(app, world, pattern):
    rule = rule_named(app, pattern)
    path = build(rule, world)
    if "GET" in rule.methods:  # control: an administrator gets no 403 (nor 500) there
        assert world.admin.get(path).status_code not in (403, 500), path
    before = snapshot(app)
    attack(world, path, rule.methods, 403, hostile_data(world, pattern), token_of(world.officer_b))
    assert changed_tables(before, snapshot(app)) == []


def id_range(app, model) -> range:
    """1..N as an attacker counts: from just before the first row to past the last.

    (PostgreSQL sequences keep counting across tests, so the rows of this test do not start at
    1; the ids below them belong to nobody, exactly like ids above N.)
    """
    with app.app_context():
        low, high = get_session().execute(select(func.min(model.id), func.max(model.id))).one()
    return range(max(1, (low or 1) - 3), (high or 0) + 4)


ID_MODELS = {
    "assessment_id": Assessment,
    "organisation_id": Organisation,
    "user_id": User,
    "version_id": QuestionSetVersion,
    "move_id": AssessmentMove,
    "report_id": Report,
}


def id_arg(rule) -> str | None:
    return next((a for a in re.findall(r"<int:(\w+)>", rule.rule) if a in ID_ARGS), None)


WALKED_IDS = [p for p in ASSESSMENT_RULES + ADMIN_RULES if re.search(r"<int:(\w+_id)>", p)]


@pytest.mark.parametrize("pattern", WALKED_IDS)
def test_officer_b_walks_ids_1_to_n(app, world, pattern):
    """Ids 0, 1..N+3: B reaches only B's own assessment; every other id is 404 (admin: 403).

    A rule with a second id (a move of A's) stays 404 even with B's own assessment id.
    """
    rule = rule_named(app, pattern)
    name = id_arg(rule)
    assessment = pattern in TENANT_PROBES
    code = 404 if assessment else 403
    own_reachable = (
        assessment
        and "GET" in rule.methods
        and len(re.findall(r"<int:\w+_id>", pattern)) == 1
        and not pattern.endswith(
            "report.pdf"
        )  # not rendered in a walk: B's own is checked elsewhere
    )
    app.config["REPORT_LIMIT_PER_USER"] = "1000 per minute"  # the walk is not a flood test
    token = token_of(world.officer_b)
    data = hostile_data(world, pattern)
    before = snapshot(app)
    reached_own = False
    for object_id in [0, *id_range(app, ID_MODELS[name])]:
        path = build(rule, world, **{name: object_id})
        if assessment and object_id == world.b_open and own_reachable:
            assert world.officer_b.get(path).status_code in (200, 302, 303), path
            reached_own = True
            continue
        single_id = len(re.findall(r"<int:\w+_id>", pattern)) == 1
        if assessment and object_id == world.b_open and single_id and pattern.endswith(".pdf"):
            continue  # B's own report: rendering it is not an attack
        if "GET" in rule.methods:
            assert_refused(world.officer_b.get(path), code, f"GET {path}")
        if "POST" in rule.methods and not (assessment and object_id == world.b_open):
            assert_refused(
                world.officer_b.post(path, data=with_token(data, token)), code, f"POST {path}"
            )
    assert changed_tables(before, snapshot(app)) == []
    assert reached_own == own_reachable  # the walk passed B's own id, and B reached it


def test_a_history_report_needs_a_move_of_that_assessment(app, world):
    """Move ids walked under B's own assessment and under A's: only A's own pair answers."""
    app.config["REPORT_LIMIT_PER_USER"] = "1000 per minute"
    for move_id in [0, *id_range(app, AssessmentMove)]:
        path = f"/assessments/{world.b_open}/history/{move_id}/report.pdf"
        assert_refused(world.officer_b.get(path), 404, path)
        path = f"/assessments/{world.a_moved}/history/{move_id}/report.pdf"
        assert_refused(world.officer_b.get(path), 404, path)
    own = world.officer_a.get(f"/assessments/{world.a_moved}/history/{world.move_id}/report.pdf")
    assert own.status_code in (200, 303)  # A's own: made, or asked of a report worker
    other = world.officer_a.get(f"/assessments/{world.a_open}/history/{world.move_id}/report.pdf")
    assert other.status_code == 404  # A's move, but of another of A's assessments


def test_a_report_page_needs_a_report_of_that_assessment(app, world):
    """A's report id under B's own assessment, and B's ids walked under A's: all 404."""
    for path in (
        f"/assessments/{world.b_open}/reports/{world.report_id}",
        f"/assessments/{world.b_open}/reports/{world.report_id}/download",
        f"/assessments/{world.a_open}/reports/{world.report_id}",
    ):
        assert_refused(world.officer_b.get(path), 404, path)
    assert (
        world.officer_a.get(f"/assessments/{world.a_open}/reports/{world.report_id}").status_code
        == 200
    )
    other = world.officer_a.get(f"/assessments/{world.a_done}/reports/{world.report_id}")
    assert other.status_code == 404  # A's report, but of another of A's assessments


ADMIN_ID_RULES = patterns_where(
    lambda r: "GET" in r.methods and bool(re.search(r"<int:(organisation_id|user_id)>", r.rule))
)


@pytest.mark.parametrize("pattern", ADMIN_ID_RULES)
def test_admin_walk_finds_only_existing_ids(app, world, pattern):
    """Not isolation (administrators see every organisation), but no id answers 500 or leaks."""
    rule = rule_named(app, pattern)
    name = id_arg(rule)
    existing_ids = {
        "organisation_id": {world.org_a, world.org_b},
        "user_id": set(world.user_ids.values()),
    }[name]
    for object_id in [0, *id_range(app, ID_MODELS[name])]:
        response = world.admin.get(build(rule, world, **{name: object_id}))
        assert response.status_code == (200 if object_id in existing_ids else 404), object_id
        assert_no_leak(response, str(object_id))


@pytest.mark.parametrize("section_id", ["profile", "a", "b", "c", "nowhere", "A", "a%2F..", ".."])
def test_every_section_of_a_s_assessment_is_404_for_b(app, world, section_id):
    before = snapshot(app)
    token = token_of(world.officer_b)
    for suffix in ("", "/autosave"):
        path = f"/assessments/{world.a_open}/sections/{section_id}{suffix}"
        if not suffix:
            assert_refused(world.officer_b.get(path), 404, f"GET {path}")
        data = {"q": "a1", "a:a1": "yes", "v:a1": "1", "o:a1": ""}
        assert_refused(world.officer_b.post(path, data=with_token(data, token)), 404, path)
    assert changed_tables(before, snapshot(app)) == []


@pytest.mark.parametrize(
    "query",
    ["", "?organisation=1", "?organisation_id=1", "?port_id=1", "?all=1", "?q=*", "?show=all"],
)
def test_b_s_list_shows_only_b_s_assessments(world, query):
    page = world.officer_b.get("/assessments/" + query.replace("1", str(world.org_a)))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Bexley 2026" in html
    for secret in A_SECRETS:
        assert secret not in html
    assert f"/assessments/{world.a_open}" not in html
    assert f"/assessments/{world.a_done}" not in html


def test_b_cannot_start_from_a_s_assessment(app, world):
    page = world.officer_b.get(f"/assessments/new?from={world.a_done}").get_data(as_text=True)
    assert "Aldport" not in page
    offered = re.search(r'<select[^>]*name="previous_id"[^>]*>(.*?)</select>', page, re.S)
    assert offered is not None
    assert re.findall(r'value="(\d+)"', offered.group(1)) == ["0", str(world.b_open)]
    before = snapshot(app)
    data = {
        "title": "Copy of Aldport",
        "scope": "",
        "question_set_version_id": str(world.question_set),
        "previous_id": str(world.a_done),
        "csrf_token": token_of(world.officer_b, "/assessments/new"),
    }
    response = world.officer_b.post("/assessments/new", data=data)
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(app)) == []


def test_b_s_exports_hold_only_b_s_rows(world):
    for suffix in ("/result.json", "/answers.csv", "/action-plan.csv"):
        response = world.officer_b.get(f"/assessments/{world.b_open}{suffix}")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Aldport" not in body
    assert "Bexley" in world.officer_b.get(f"/assessments/{world.b_open}/result.json").get_data(
        as_text=True
    )
