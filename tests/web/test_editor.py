"""Administrators edit question sets in the browser: drafts, errors at their fields, preview,
publish, retire, YAML import and export, moving assessments; officers reach none of it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from assessment.db import get_session
from assessment.models import AuditEvent, QuestionSetVersion
from assessment.questionset import load_question_set
from assessment.services import drafts, reports

from ..forms import Form
from .test_assessments import open_section, save, start

BASE = "/admin/question-sets"


@pytest.fixture
def admin(client, people, scoring_set):
    client.login(people.admin)
    return client


def version_row(app, set_id: str, number: int) -> QuestionSetVersion:
    with app.app_context():
        return get_session().scalar(
            select(QuestionSetVersion)
            .where(QuestionSetVersion.set_id == set_id, QuestionSetVersion.version == number)
            .options(undefer(QuestionSetVersion.source_yaml))  # read after the session ends
        )


def make_draft(admin, app, version_id: int) -> int:
    response = admin.submit(f"{BASE}/{version_id}/copy", form_page=f"{BASE}/")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1].split("#")[0])


def post_form(admin, url: str, form: Form):
    return admin.post(url, data=form.data())


def question_form(admin, draft_id: int, question_id: str) -> Form:
    html = admin.get(f"{BASE}/{draft_id}/questions/{question_id}/edit").get_data(as_text=True)
    return Form(html[html.index("<main") :])


@pytest.mark.parametrize(
    "path",
    ["/", "/new", "/import", "/1", "/1/preview", "/1/export.yaml", "/1/publish", "/1/retire"],
)
def test_officers_get_403(client, people, scoring_set, path):
    client.login(people.officer_a)
    assert client.get(BASE + path).status_code == 403


def test_officers_cannot_post_to_the_editor(app, client, people, scoring_set):
    client.login(people.officer_a)
    token = client.csrf_token("/account/password")
    assert client.post(f"{BASE}/{scoring_set}/copy", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert drafts.draft_of(get_session(), "scoring") is None


def test_the_list_shows_versions_with_status_and_use(app, admin, people):
    officer = admin.application.test_client()
    officer.login(people.officer_a)
    start(officer)
    page = admin.get(f"{BASE}/").get_data(as_text=True)
    assert "Scoring fixture" in page
    assert "Published" in page
    assert re.search(r"Version 1</a></th>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td>1</td>", page, re.S)


def test_copy_edit_preview_publish(app, admin, people):
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    overview = admin.get(f"{BASE}/{draft_id}").get_data(as_text=True)
    assert "Ready to publish: no problems" in overview
    assert "Publish as version 2" in overview

    form = question_form(admin, draft_id, "a1")
    form.set("text", "A1, reworded?").set("choices-1-score", "0.4")
    response = post_form(admin, f"{BASE}/{draft_id}/questions/a1/edit", form)
    assert response.status_code == 302, response.get_data(as_text=True)

    preview = admin.get(f"{BASE}/{draft_id}/preview/a").get_data(as_text=True)
    assert "A1, reworded?" in preview
    assert 'name="a:a1" value="partly"' in preview  # the officers' widgets, disabled
    sample = admin.get(f"{BASE}/{draft_id}/sample-report?pattern=worst")
    assert "W-a1" in sample.get_data(as_text=True)
    assert "script-src" not in sample.headers["Content-Security-Policy"]
    assert "default-src 'none'" in sample.headers["Content-Security-Policy"]

    assert admin.submit(f"{BASE}/{draft_id}/publish").status_code == 302
    published = version_row(app, "scoring", 2)
    assert published.status == "published"
    question_set = load_question_set(published.source_yaml)
    assert question_set.question("a1").text == "A1, reworded?"
    assert question_set.question("a1").options[1].score == 0.4
    start_page = admin.application.test_client()
    start_page.login(people.officer_a)
    assert "Scoring fixture (version 2)" in start_page.get("/assessments/new").get_data(
        as_text=True
    )


def report_html(app, assessment_id: int) -> str:
    """The assessment's report as HTML, from its own version and answers."""
    from assessment.models import Assessment
    from assessment.report.document import render_report_html
    from assessment.services.records import question_set_of, result_of

    with app.app_context():
        session = get_session()
        assessment = session.get(Assessment, assessment_id)
        return render_report_html(
            question_set_of(assessment.question_set_version),
            result_of(session, assessment),
            reports.report_meta(assessment, "TLP"),
        )


def test_editing_a_draft_never_changes_an_existing_assessment_or_its_report(
    app, admin, people, make_client
):
    officer = make_client()
    officer.login(people.officer_a)
    assessment_id = start(officer)
    save(
        officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "partly")
    )
    before = report_html(app, assessment_id)
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    form = question_form(admin, draft_id, "a1").set("text", "Changed text?")
    assert post_form(admin, f"{BASE}/{draft_id}/questions/a1/edit", form).status_code == 302
    admin.submit(f"{BASE}/{draft_id}/publish")
    after = report_html(app, assessment_id)
    strip = re.compile(r"\d{1,2} \w{3,4} \d{4}, \d\d:\d\d UTC")  # the generation time
    assert strip.sub("", before) == strip.sub("", after)
    assert "Changed text?" not in after


def test_errors_show_beside_their_field_and_nothing_is_saved(app, admin):
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    before = version_row(app, "scoring", 2).source_yaml
    form = question_form(admin, draft_id, "a1").set("choices-1-score", "1.5")
    form.set("weight", "heavy")
    response = post_form(admin, f"{BASE}/{draft_id}/questions/a1/edit", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a number." in page  # the weight, beside its field
    form.set("weight", "1")
    response = post_form(admin, f"{BASE}/{draft_id}/questions/a1/edit", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(
        r'value="1.5">\s*<span class="errors block">1.5 is out of range: must be '
        r"at most 1.0</span>",
        page,
    )
    assert Form(page[page.index("<main") :]).get("choices-1-score") == ["1.5"]  # kept as typed
    assert version_row(app, "scoring", 2).source_yaml == before


def test_a_change_that_breaks_another_question_is_refused(app, admin):
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    form = question_form(admin, draft_id, "p-ot").set("choices-0-id", "ja")
    response = post_form(admin, f"{BASE}/{draft_id}/questions/p-ot/edit", form)
    assert response.status_code == 422
    assert "section 'c': show_if: 'yes' is not a choice of question 'p-ot'" in unescape(
        response.get_data(as_text=True)
    )


def test_deleting_a_mitigation_still_in_use_is_refused(app, admin):
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    response = admin.submit(f"{BASE}/{draft_id}/mitigations/m-lock/delete")
    assert response.status_code == 302
    flashed = admin.get(f"{BASE}/{draft_id}").get_data(as_text=True)
    assert "Not changed:" in flashed
    assert "mitigation 'm-lock' is not in mitigations" in unescape(flashed)


def test_sections_questions_and_catalogues_can_be_added_moved_and_removed(app, admin):
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    page = Form(
        admin.get(f"{BASE}/{draft_id}/mitigations/new").get_data(as_text=True)[
            admin.get(f"{BASE}/{draft_id}/mitigations/new").get_data(as_text=True).index("<main") :
        ]
    )
    page.set("id", "m-new").set("title", "New mitigation").set("how", "Do the new thing.")
    assert post_form(admin, f"{BASE}/{draft_id}/mitigations/new", page).status_code == 302
    html = admin.get(f"{BASE}/{draft_id}/sections/new").get_data(as_text=True)
    section = Form(html[html.index("<main") :]).set("id", "d").set("title", "D section")
    assert post_form(admin, f"{BASE}/{draft_id}/sections/new", section).status_code == 302
    html = admin.get(f"{BASE}/{draft_id}/sections/d/questions/new/number").get_data(as_text=True)
    question = Form(html[html.index("<main") :]).set("id", "d1").set("text", "Days?")
    question.set("weakness_title", "Slow").set("weakness_why", "Because.")
    question.set("mitigations", "m-new")
    response = post_form(admin, f"{BASE}/{draft_id}/sections/d/questions/new/number", question)
    assert response.status_code == 302, response.get_data(as_text=True)
    admin.submit(f"{BASE}/{draft_id}/sections/d/move/-1", form_page=f"{BASE}/{draft_id}")
    data = drafts.data_of(version_row(app, "scoring", 2))
    assert [s["id"] for s in data["sections"]] == ["profile", "a", "b", "d", "c"]
    assert data["sections"][3]["questions"][0] == {
        "id": "d1",
        "type": "number",
        "text": "Days?",
        "better": "lower",
        "thresholds": [{"value": 7.0, "score": 1.0}],
        "weakness": {"title": "Slow", "severity": "high", "why": "Because."},
        "mitigations": ["m-new"],
    }
    admin.submit(f"{BASE}/{draft_id}/questions/d1/delete")
    admin.submit(f"{BASE}/{draft_id}/sections/d/delete")
    data = drafts.data_of(version_row(app, "scoring", 2))
    assert [s["id"] for s in data["sections"]] == ["profile", "a", "b", "c"]


def test_publishing_an_invalid_draft_is_refused_with_its_problems(app, admin):
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    html = admin.get(f"{BASE}/{draft_id}/sections/new").get_data(as_text=True)
    section = Form(html[html.index("<main") :]).set("id", "empty").set("title", "Empty")
    assert post_form(admin, f"{BASE}/{draft_id}/sections/new", section).status_code == 302
    response = admin.submit(f"{BASE}/{draft_id}/publish")
    assert response.status_code == 422
    assert "questions: at least 1 item(s) needed" in response.get_data(as_text=True)
    assert version_row(app, "scoring", 2).status == "draft"


def test_retired_versions_are_not_offered_but_keep_their_assessments(
    app, admin, people, make_client
):
    officer = make_client()
    officer.login(people.officer_a)
    assessment_id = start(officer)
    version_id = version_row(app, "scoring", 1).id
    assert admin.submit(f"{BASE}/{version_id}/retire").status_code == 302
    assert "No question set is available" in officer.get("/assessments/new").get_data(as_text=True)
    assert officer.get(f"/assessments/{assessment_id}/sections/a").status_code == 200


def test_export_then_import_as_draft_is_lossless(app, admin):
    version_id = version_row(app, "scoring", 1).id
    exported = admin.get(f"{BASE}/{version_id}/export.yaml").data
    assert b"id: scoring" in exported
    response = upload(admin, exported)
    assert response.status_code == 302, response.get_data(as_text=True)
    imported = load_question_set(version_row(app, "scoring", 2).source_yaml)
    original = load_question_set(exported)
    assert imported.to_data() | {"version": 1} == original.to_data()


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body built in memory: the test client would spool a large one to a
    temporary file that it never closes."""
    boundary = "----port-assess-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: application/yaml\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(admin, content: bytes, mode: str = "draft"):
    html = admin.get(f"{BASE}/import").get_data(as_text=True)
    token = Form(html[html.index("<main") :]).get("csrf_token")[0]
    body, content_type = multipart({"csrf_token": token, "mode": mode}, "upload.yaml", content)
    return admin.post(f"{BASE}/import", data=body, content_type=content_type)


def test_an_import_with_three_errors_lists_all_three_and_changes_nothing(app, admin):
    text = (
        b"schema_version: 1\nid: broken\nversion: 1\ntitle: Broken\nsections:\n"
        b"  - id: s\n    title: S\n    questions:\n"
        b"      - {id: q1, type: single_choice, text: Q, choices: [{id: a, label: A, "
        b"score: 2}, {id: b, label: B, score: 0}], weakness: {title: W, severity: low, "
        b"why: Y}, mitigations: [missing]}\n"
        b"      - {id: q2, type: dropdown, text: T}\n"
    )
    response = upload(admin, text, "publish")
    assert response.status_code == 422
    page = unescape(response.get_data(as_text=True))
    assert "Nothing was imported: 3 problems." in page
    assert "upload.yaml:9: question 'q1': choices[0].score: 2 is out of range" in page
    assert "upload.yaml:9: question 'q1': mitigation 'missing' is not in mitigations" in page
    assert "upload.yaml:10: question 'q2': unknown question type 'dropdown'" in page
    with app.app_context():
        assert (
            get_session().scalar(
                select(QuestionSetVersion).where(QuestionSetVersion.set_id == "broken")
            )
            is None
        )


def test_the_alias_bomb_and_an_oversized_upload_are_refused(app, admin):
    bomb = (
        b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\n'
        b"c: [*b,*b,*b,*b,*b,*b,*b,*b]\n"
    )
    response = upload(admin, bomb)
    assert response.status_code == 422
    assert "aliases (*name) are not allowed" in response.get_data(as_text=True)
    response = upload(admin, b"# padding\n" * (5 * 1024 * 1024 // 10))
    assert response.status_code == 413
    with app.app_context():
        assert len(get_session().scalars(select(QuestionSetVersion)).all()) == 1


def test_a_file_just_over_2_mb_is_refused_by_the_reader(app, admin):
    response = upload(admin, b"# padding\n" * (2 * 1024 * 1024 // 10 + 100))
    assert response.status_code == 422
    assert "the limit is 2 MB" in response.get_data(as_text=True)


def test_editor_actions_are_audited(app, admin):
    draft_id = make_draft(admin, app, version_row(app, "scoring", 1).id)
    form = question_form(admin, draft_id, "a1").set("text", "Edited?")
    post_form(admin, f"{BASE}/{draft_id}/questions/a1/edit", form)
    admin.submit(f"{BASE}/{draft_id}/publish")
    admin.submit(f"{BASE}/{draft_id}/retire")
    with app.app_context():
        actions = [
            e.action for e in get_session().scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    assert actions[-4:] == [
        "question_set.draft",
        "question_set.edit",
        "question_set.publish",
        "question_set.retire",
    ]
    log = admin.get("/admin/audit?action=question_set.").get_data(as_text=True)
    assert 'Version published <code class="hint">question_set.publish</code></td>' in log
    assert '<code class="hint">user.create</code>' not in log
    csv_text = (
        admin.get("/admin/audit.csv?action=question_set.publish").get_data().decode("utf-8-sig")
    )
    assert csv_text.splitlines()[0] == "When (UTC),Who,Action,Target,Details"
    assert len(csv_text.splitlines()) == 2


def test_the_draft_overview_shows_each_objects_problems_beside_it(app, admin, scoring_set):
    """A threat's, a section's and a question's problems are listed beside that object (the
    overview once joined problems to objects by a name built from text, and threats, called
    "threat scenario" on the page and "threat" by the validator, lost theirs)."""
    draft_id = make_draft(admin, app, scoring_set)
    with app.app_context():
        session = get_session()
        draft = session.get(QuestionSetVersion, draft_id)
        data = drafts.data_of(draft)
        data["threats"] = [
            {
                "id": "t-broken",
                "title": "A broken threat",
                "description": "Why.",
                "incidents": [{"year": 1200, "title": "Too early"}],
            }
        ]
        data["sections"][0]["questions"][0]["weight"] = -1
        from assessment.questionset.yaml_io import dump_yaml

        draft.source_yaml = dump_yaml(data)
        session.commit()
    html = admin.get(f"{BASE}/{draft_id}").get_data(as_text=True)
    threat_row = html[html.index("A broken threat") :].split("</tr>")[0]
    assert "year" in threat_row
    assert 'class="errors"' in threat_row
    question_id = data["sections"][0]["questions"][0]["id"]
    question_item = html[html.index(f'id="question-{question_id}"') :].split("</li>")[0]
    assert "weight" in question_item
    assert 'class="errors"' in question_item


@pytest.mark.parametrize("version", [10**30, 2**63, 2**31])
def test_a_version_beyond_any_databases_integer_is_a_clear_error(app, admin, version):
    text = (
        f"schema_version: 1\nid: huge\nversion: {version}\ntitle: Huge\nsections:\n"
        "  - id: s\n    title: S\n    questions:\n"
        "      - {id: q1, type: text, text: Which terminals}\n"
    ).encode()
    response = upload(admin, text, "publish")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"upload.yaml:3: version: {version} is out of range: must be at most 999999" in page
    with app.app_context():
        found = select(QuestionSetVersion).where(QuestionSetVersion.set_id == "huge")
        assert get_session().scalar(found) is None
