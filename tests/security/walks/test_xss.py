"""Stored XSS and template injection.

Every free-text field an officer or an administrator fills (assessment title and scope,
comments, text answers, organisation names, user display names) holds a payload; every HTML
page that shows the field must show it escaped (and never run ``{{7*7}}`` to 49), and the PDF
must show it as literal text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assessment.db import get_session
from assessment.models import User

from ...conftest import DATA_DIR, fetch_report, import_question_set
from ...forms import Form
from ...report.conftest import pdf_reader
from ..helpers import (
    assert_literal_in_html,
    open_section,
    save_ok,
    section_url,
    squeeze,
    start,
    token_of,
    with_token,
)

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><svg onload=alert(1)>',
    "jinja": "{{7*7}}",
    "config": "{{ config }}",
    "statement": "{% print(7*7) %}{% raw %}{{7*7}}{% endraw %}",
    "markup": "<b>bold</b><img src=x onerror=alert(1)>",
}

# Each field gets its own prefix, so a page shows which field leaked, and "49" is searched
# right after it (a 49 elsewhere on a page means nothing).
FIELDS = ("Title", "Scope", "Comment", "Answer", "Org", "NewOrg", "Name", "NewUser")


def values(payload: str) -> dict[str, str]:
    return {field: f"{field}: {payload}" for field in FIELDS}


def post_form(client, path: str, data: dict):
    response = client.post(path, data=with_token(data, token_of(client, path)))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


@pytest.fixture(scope="module", params=list(PAYLOADS), ids=list(PAYLOADS))
def hostile(request, app, world):
    """The world with every free-text field holding the payload; returns (values, assessment)."""
    text = values(PAYLOADS[request.param])
    admin, officer = world.admin, world.officer_a
    post_form(
        admin,
        f"/admin/organisations/{world.org_a}/edit",
        {"name": text["Org"], "kind": "port_authority", "country": "NL"},
    )
    post_form(
        admin,
        "/admin/organisations/new",
        {"name": text["NewOrg"], "kind": "other", "country": "DE"},
    )
    user = {"role": "officer", "organisation_id": str(world.org_a), "password": ""}
    post_form(
        admin,
        f"/admin/users/{world.user_ids['officer_a']}/edit",
        user | {"email": world.people.officer_a, "display_name": text["Name"]},
    )
    post_form(
        admin,
        "/admin/users/new",
        user | {"email": f"new.{request.param}@aldport.example", "display_name": text["NewUser"]},
    )
    assessment = start(
        officer, text["Title"], text["Scope"], question_set_version_id=world.question_set
    )
    save_ok(
        officer,
        assessment,
        "profile",
        open_section(officer, assessment, "profile").set("a:p-ot", "yes"),
    )
    form = open_section(officer, assessment, "a").set("a:a1", "no").set("c:a1", text["Comment"])
    save_ok(officer, assessment, "a", form)
    form = open_section(officer, assessment, "c").set("a:c1", "no").set("a:c2", text["Answer"])
    save_ok(officer, assessment, "c", form)
    return text, assessment


def officer_pages(world, assessment: int) -> dict[str, tuple[str, ...]]:
    """Officer A's pages and the fields each one shows."""
    a = f"/assessments/{assessment}"
    return {
        "/assessments/": ("Title", "Scope", "Name"),
        section_url(assessment, "a"): ("Title", "Comment", "Name", "Org"),
        section_url(assessment, "c"): ("Title", "Answer"),
        f"{a}/review": ("Title", "Comment", "Answer"),
        f"{a}/results": ("Title", "Comment"),
        f"{a}/complete": ("Title",),
        "/assessments/new": ("Title", "Name", "Org"),
        "/account/password": ("Name", "Org"),
    }


def admin_pages(world, assessment: int) -> dict[str, tuple[str, ...]]:
    return {
        "/assessments/": ("Title", "Scope", "Org", "Name"),
        f"/assessments/{assessment}/review": ("Title", "Comment", "Answer", "Org"),
        "/admin/organisations": ("Org", "NewOrg"),
        f"/admin/organisations/{world.org_a}/edit": ("Org",),
        f"/admin/organisations/{world.org_a}/active": ("Org",),
        "/admin/users": ("Name", "NewUser", "Org"),
        f"/admin/users?organisation={world.org_a}": ("Name", "Org"),
        f"/admin/users/{world.user_ids['officer_a']}/edit": ("Name", "Org", "NewOrg"),
        "/admin/audit": ("Org", "NewOrg"),
    }


def assert_page_is_safe(html: str, text: dict[str, str], shown: tuple[str, ...], where: str):
    for field in shown:
        assert_literal_in_html(html, text[field], where)
    for field, value in text.items():
        payload = value.split(": ", 1)[1]
        assert f"{field}: 49" not in html, f"{field} was evaluated on {where}"
        if "<" in payload or '"' in payload:
            assert value not in html, f"{field} unescaped on {where}"
    assert "SECRET_KEY" not in html
    assert "&lt;Config" not in html


def test_payloads_are_escaped_on_every_officer_page(hostile, world):
    text, assessment = hostile
    for path, shown in officer_pages(world, assessment).items():
        response = world.officer_a.get(path)
        assert response.status_code == 200, path
        assert_page_is_safe(response.get_data(as_text=True), text, shown, path)


def test_payloads_are_escaped_on_every_admin_page(hostile, world):
    text, assessment = hostile
    for path, shown in admin_pages(world, assessment).items():
        response = world.admin.get(path)
        assert response.status_code == 200, path
        assert_page_is_safe(response.get_data(as_text=True), text, shown, path)


def test_flash_messages_escape_what_they_quote(hostile, world):
    """ "Assessment '<title>' started." and "Organisation '<name>' created." quote user text."""
    text, _ = hostile
    officer = world.officer_a
    form = Form(officer.get("/assessments/new").get_data(as_text=True), "start-form")
    form.set("title", text["Title"]).set("question_set_version_id", world.question_set)
    page = officer.post("/assessments/new", data=form.data(), follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "started." in html
    assert_page_is_safe(html, text, ("Title",), "the page after starting")

    name = "Flash " + text["NewOrg"]
    data = {"name": name, "kind": "other", "country": "DE"}
    path = "/admin/organisations/new"
    page = world.admin.post(
        path, data=with_token(data, token_of(world.admin, path)), follow_redirects=True
    )
    html = page.get_data(as_text=True)
    assert "created." in html
    assert_literal_in_html(html, name, "the page after creating an organisation")


def test_payloads_are_literal_text_in_the_pdf(hostile, world, app, worker):
    text, assessment = hostile
    response = fetch_report(world.officer_a, f"/assessments/{assessment}/report.pdf")
    reader = pdf_reader(response.data)
    pdf_text = squeeze(" ".join(page.extract_text() for page in reader.pages))
    for field in ("Title", "Scope", "Comment", "Answer", "Org", "Name"):  # what the report shows
        assert squeeze(text[field]) in pdf_text, f"{field} not literal in the PDF"
        assert squeeze(f"{field}: 49") not in pdf_text
    assert "SECRET_KEY" not in pdf_text
    assert text["Title"] in (reader.metadata.title or "")
    assert list(reader.attachments) == ["result.json"]
    attached = json.loads(reader.attachments["result.json"][0])
    assert attached["assessment"]["title"] == text["Title"]  # data, kept exactly as typed


def test_exports_keep_the_text_as_data(hostile, world, app):
    text, assessment = hostile
    response = world.officer_a.get(f"/assessments/{assessment}/result.json")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.get_data(as_text=True))
    assert data["assessment"]["title"] == text["Title"]
    assert data["assessment"]["organisation"] == text["Org"]
    with app.app_context():
        user = get_session().get(User, world.user_ids["officer_a"])
        assert user.display_name == text["Name"]  # stored as typed: escaping is the output's job


# Case 17: the question set's own text (what an administrator writes in the editor or a YAML
# file) holds the payload too; every organisation that answers it sees it as text.

CONTENT_FIELDS = ("SetTitle", "Section", "Question", "Help", "Choice", "Weakness", "Why")
CONTENT_FIELDS += ("Mitigation", "How", "Threat")


def hostile_question_set(payload: str, version: int) -> tuple[str, dict[str, str]]:
    """tests/data/scoring.yaml with the payload in its texts, as JSON (which is YAML)."""
    text = {field: f"{field}: {payload}" for field in CONTENT_FIELDS}
    data = yaml.safe_load((Path(DATA_DIR) / "scoring.yaml").read_text(encoding="utf-8"))
    data.update(id="hostile-content", version=version, title=text["SetTitle"])
    section = next(s for s in data["sections"] if s["id"] == "a")
    section["title"] = text["Section"]
    question = section["questions"][0]  # a1: single choice, weakness, mitigation, threat
    question.update(text=text["Question"], help=text["Help"])
    question["choices"][2]["label"] = text["Choice"]  # "no": the answer given below
    question["weakness"].update(title=text["Weakness"], why=text["Why"])
    mitigation = next(m for m in data["mitigations"] if m["id"] == question["mitigations"][0])
    mitigation.update(title=text["Mitigation"], how=text["How"])
    threat = next(t for t in data["threats"] if t["id"] == question["threats"][0])
    threat["title"] = text["Threat"]
    return json.dumps(data, ensure_ascii=False), text


@pytest.fixture(scope="module")
def hostile_content(app, world, tmp_path_factory):
    """An assessment of organisation A on a question set whose texts hold each payload."""
    made = {}
    for number, (name, payload) in enumerate(PAYLOADS.items(), start=1):
        source, text = hostile_question_set(payload, number)
        path = tmp_path_factory.mktemp("content") / f"{name}.yaml"
        path.write_text(source, encoding="utf-8")
        version = import_question_set(app, str(path))
        officer = world.officer_a
        assessment = start(officer, f"Content {name}", question_set_version_id=version)
        save_ok(officer, assessment, "a", open_section(officer, assessment, "a").set("a:a1", "no"))
        made[name] = (text, assessment, version)
    return made


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_question_set_texts_are_escaped_on_the_pages(hostile_content, world, name):
    text, assessment, version = hostile_content[name]
    a = f"/assessments/{assessment}"
    pages = {
        section_url(assessment, "a"): ("Section", "Question", "Help", "Choice"),
        f"{a}/review": ("Section", "Question", "Choice"),
        f"{a}/results": ("Section", "Question", "Weakness", "Why", "Mitigation", "How", "Threat"),
        "/assessments/": ("SetTitle",),
    }
    for path, shown in pages.items():
        response = world.officer_a.get(path)
        assert response.status_code == 200, path
        assert_page_is_safe(response.get_data(as_text=True), text, shown, path)
    for path in (f"/admin/question-sets/{version}", f"/admin/question-sets/{version}/preview"):
        response = world.admin.get(path, follow_redirects=True)  # the editor: shown escaped
        assert response.status_code == 200, path
        assert_page_is_safe(response.get_data(as_text=True), text, (), path)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_question_set_texts_are_literal_in_the_pdf(hostile_content, world, name, worker):
    text, assessment, _ = hostile_content[name]
    response = fetch_report(world.officer_a, f"/assessments/{assessment}/report.pdf")
    reader = pdf_reader(response.data)
    pdf_text = squeeze(" ".join(page.extract_text() for page in reader.pages))
    for field in ("Section", "Question", "Weakness", "Why", "Mitigation", "How", "Threat"):
        assert squeeze(text[field]) in pdf_text, f"{field} not literal in the PDF"
        assert squeeze(f"{field}: 49") not in pdf_text
    assert list(reader.attachments) == ["result.json"]
