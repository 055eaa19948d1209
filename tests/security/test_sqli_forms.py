"""SQL injection payloads in every field of every state-changing
form, forged question ids, and a NUL byte in text. These requests may change things (a payload
is a fine title), so each test has a world of its own.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from .helpers import assert_no_leak, open_section, section_url, token_of, with_token
from .routes import UNSAFE, action_for, client_for, patterns_where, rule_named
from .walks.test_sqli import PAYLOADS, assert_tables_intact

STATE_CHANGING = [
    p for p in patterns_where(lambda r: bool(set(r.methods) & UNSAFE)) if p != "/logout"
]


FORM_RULES = STATE_CHANGING


@pytest.mark.parametrize("pattern", FORM_RULES)
def test_sqli_in_every_form_field(app, world, make_client, pattern):
    """Each field of the form in turn holds each payload (the form is refused or stores the
    payload as text); last, the whole valid form with a field named by each payload added."""
    action = action_for(rule_named(app, pattern), world)
    path = action.path(world)
    fresh_each_time = action.role in ("anonymous", "pending_admin")  # a login is used up
    client = client_for(world, action.role, make_client)

    def form() -> tuple[MultiDict, str]:
        """The form as the client would send it now (its page read first, for the token)."""
        nonlocal client
        if fresh_each_time:
            client = client_for(world, action.role, make_client)
        token = token_of(client, action.form_page)
        return MultiDict(action.data(world, client)), token

    def send(fields: MultiDict, token: str, where: str) -> None:
        response = client.post(path, data=with_token(fields, token))
        assert_no_leak(response, f"POST {path} {where}")

    names = list(dict.fromkeys(form()[0].keys()))
    for name in names:
        for payload in PAYLOADS:
            fields, token = form()
            fields.setlist(name, [payload])
            send(fields, token, f"{name}={payload!r}")
    fields, token = form()
    for payload in PAYLOADS:
        fields.add(payload, payload)
    send(fields, token, "with fields named by the payloads")
    assert_tables_intact(app)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sqli_as_question_ids_in_the_section_form(app, world, payload):
    officer = world.officer_a
    form = open_section(officer, world.a_open, "a")
    for fields in (
        [("q", payload), (f"a:{payload}", "yes"), (f"v:{payload}", "0")],
        [("q", "a1"), ("a:a1", payload), ("v:a1", payload), ("o:a1", payload)],
        [("q", "a1"), ("a:a1", "yes"), ("c:a1", payload), ("r:a1", payload), ("k:a1", payload)],
    ):
        token = token_of(officer)
        for suffix in ("", "/autosave"):
            data = MultiDict([("csrf_token", token), *fields])
            response = officer.post(section_url(world.a_open, "a") + suffix, data=data)
            assert_no_leak(response, f"{suffix} {fields}")
            assert response.status_code in (200, 302, 400, 409, 422)
    assert form.get("q")  # the real form names its questions in q (what is forged above)
    assert_tables_intact(app)


def test_a_nul_byte_in_text_is_refused_not_a_500(request, app, world, make_client):
    """PostgreSQL cannot store NUL in text; the app must refuse it (or strip it), not crash."""
    failures = []

    def attempt(label: str, send) -> None:
        try:
            response = send()
        except Exception as exc:  # noqa: BLE001 - the error page itself may fail
            failures.append(f"{label}: {type(exc).__name__}")
            return
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")

    officer, admin = world.officer_a, world.admin
    login = {"email": "a\x00@b.example", "password": "x" * 12}
    attempt("login e-mail", lambda: make_client().submit("/login", login))
    form = open_section(officer, world.a_open, "a").set("c:a1", "nul\x00byte")
    attempt("comment", lambda: officer.post(section_url(world.a_open, "a"), data=form.data()))
    data = with_token(
        {
            "title": "nul\x00",
            "scope": "",
            "question_set_version_id": str(world.question_set),
            "previous_id": "0",
        },
        token_of(officer),
    )
    attempt("title", lambda: officer.post("/assessments/new", data=data))
    page = f"/admin/organisations/{world.org_b}/edit"
    name = with_token(
        {"name": "Port\x00", "kind": "terminal", "country": "BE"}, token_of(admin, page)
    )
    attempt("organisation name", lambda: admin.post(page, data=name))
    assert failures == []


@pytest.mark.parametrize("code", ["１２３４５６", "é12345"])
def test_a_non_ascii_second_factor_code_is_refused_not_a_500(world, make_client, code):
    pending = client_for(world, "pending_admin", make_client)
    response = pending.post(
        "/login/mfa", data={"code": code, "csrf_token": token_of(pending, "/login/mfa")}
    )
    enrolling = world.officer_a
    token = token_of(enrolling, "/account/mfa")
    enrolment = enrolling.post("/account/mfa", data={"code": code, "csrf_token": token})
    assert (response.status_code, enrolment.status_code) == (422, 422)
