"""Bodies over MAX_CONTENT_LENGTH get 413 on every state-changing
route; a 1 MB comment (or title, scope, answer, name) is refused and nothing is saved.
Every request here is refused, so one world per backend serves the module.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from ..helpers import (
    assert_generic_error,
    assert_security_headers,
    changed_tables,
    multipart,
    open_section,
    section_url,
    snapshot,
    token_of,
    with_token,
)
from ..routes import UNSAFE, action_for, client_for, patterns_where, rule_named

MEGABYTE = "x" * (1024 * 1024)
STATE_CHANGING = patterns_where(lambda r: bool(set(r.methods) & UNSAFE))


def urlencoded(client, path: str, fields) -> object:
    """POST a form as raw bytes (so a large body is never spooled to a temporary file)."""
    items = fields.items(multi=True) if hasattr(fields, "getlist") else fields.items()
    body = urlencode(list(items)).encode()
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("pattern", STATE_CHANGING)
def test_oversized_bodies_get_413_on_every_state_changing_route(app, world, pattern):
    action = action_for(rule_named(app, pattern), world)
    client = client_for(world, action.role, app.test_client)
    path = action.path(world)
    token = token_of(client, action.form_page)
    over = app.config["MAX_CONTENT_LENGTH"] + 1
    before = snapshot(app)
    response = urlencoded(client, path, {"csrf_token": token, "padding": "x" * over})
    assert_generic_error(response, 413)
    assert_security_headers(response)
    body, content_type = multipart({"csrf_token": token}, {"file": ("big.yaml", b"x" * over)})
    response = client.post(path, data=body, content_type=content_type)
    assert_generic_error(response, 413)
    assert changed_tables(before, snapshot(app)) == []


def test_a_1mb_comment_is_refused_and_nothing_is_saved(app, world):
    officer = world.officer_a
    path = section_url(world.a_open, "a")
    form = open_section(officer, world.a_open, "a").set("a:a1", "yes").set("c:a1", MEGABYTE)
    before = snapshot(app)
    response = urlencoded(officer, path, form.data())
    assert response.status_code == 422
    assert "The comment is 1048576 characters; at most 5000." in response.get_data(as_text=True)
    response = urlencoded(officer, path + "/autosave", form.data())
    assert response.status_code == 422
    assert response.get_json()["problems"]["a1"].startswith("The comment is 1048576 characters")
    fields = {k: v for k, v in form.data().items()}
    body, content_type = multipart(fields, {})
    response = officer.post(path, data=body, content_type=content_type)
    assert_generic_error(response, 413)  # multipart: MAX_FORM_MEMORY_SIZE stops it first
    assert changed_tables(before, snapshot(app)) == []


def test_a_1mb_text_answer_title_or_scope_is_refused(app, world):
    officer = world.officer_a
    before = snapshot(app)
    # Only the oversized answer is sent (a valid answer beside it would be saved on its own).
    form = open_section(officer, world.a_open, "c").set("a:c2", MEGABYTE)
    response = urlencoded(officer, section_url(world.a_open, "c"), form.data())
    assert response.status_code == 422
    for field in ("title", "scope"):
        data = {
            "title": "Big",
            "scope": "",
            "question_set_version_id": str(world.question_set),
            "previous_id": "0",
        } | {field: MEGABYTE}
        response = urlencoded(officer, "/assessments/new", with_token(data, token_of(officer)))
        assert response.status_code == 200, field  # the form again, with its error
        assert "Field cannot be longer than" in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(app)) == []


def test_a_1mb_name_is_refused(app, world):
    admin = world.admin
    before = snapshot(app)
    page = f"/admin/organisations/{world.org_b}/edit"
    data = {"name": MEGABYTE, "kind": "terminal", "country": "BE"}
    response = urlencoded(admin, page, with_token(data, token_of(admin, page)))
    assert response.status_code == 200
    assert "Field cannot be longer than 200 characters." in response.get_data(as_text=True)
    page = f"/admin/users/{world.user_ids['officer_b']}/edit"
    data = {
        "email": world.people.officer_b,
        "display_name": MEGABYTE,
        "role": "officer",
        "organisation_id": str(world.org_b),
        "password": "",
    }
    response = urlencoded(admin, page, with_token(data, token_of(admin, page)))
    assert response.status_code == 200
    assert "Field cannot be longer than 120 characters." in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(app)) == []


def test_too_many_form_parts_are_refused(app, world):
    officer = world.officer_a
    path = section_url(world.a_open, "a")
    token = token_of(officer)
    before = snapshot(app)
    fields = {f"x{n}": "1" for n in range(app.config["MAX_FORM_PARTS"] + 10)}
    body, content_type = multipart({"csrf_token": token, **fields}, {})
    assert_generic_error(officer.post(path, data=body, content_type=content_type), 413)
    repeated = [("csrf_token", token)] + [("q", "a1")] * 100_000  # 600 KB of one question
    response = officer.post(
        path, data=urlencode(repeated).encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert changed_tables(before, snapshot(app)) == []
