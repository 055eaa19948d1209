"""The officer's assessment, end to end over HTTP (the browser-only parts are in tests/browser)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from assessment.db import get_session
from assessment.models import AnswerRecord, Assessment, AuditEvent

from ..forms import Form


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def start(client, title="Annual check 2026", **extra) -> int:
    form = Form(client.get("/assessments/new").get_data(as_text=True), "start-form")
    form.set("title", title).set("scope", "The whole port")
    for key, value in extra.items():
        form.set(key, value)
    response = client.post("/assessments/new", data=form.data())
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].split("/")[2])


def section_url(assessment_id: int, section: str) -> str:
    return f"/assessments/{assessment_id}/sections/{section}"


def open_section(client, assessment_id: int, section: str) -> Form:
    page = client.get(section_url(assessment_id, section))
    assert page.status_code == 200
    return Form(page.get_data(as_text=True), "section-form")


def save(client, assessment_id: int, section: str, form: Form, **extra):
    return client.post(section_url(assessment_id, section), data=form.data(**extra))


def stored(app, assessment_id: int) -> dict[str, AnswerRecord]:
    with app.app_context():
        rows = (
            get_session()
            .scalars(select(AnswerRecord).where(AnswerRecord.assessment_id == assessment_id))
            .all()
        )
        return {r.question_id: r for r in rows if r.status != "unanswered"}


def test_empty_state_explains_how_to_start(officer):
    page = officer.get("/assessments/").get_data(as_text=True)
    assert "No assessments yet" in page
    assert "Start your first assessment" in page


def test_start_preselects_the_default_and_lands_on_the_first_section(officer, app):
    assessment_id = start(officer)
    response = officer.get(f"/assessments/{assessment_id}")
    assert response.headers["Location"].endswith(section_url(assessment_id, "profile"))
    listing = officer.get("/assessments/").get_data(as_text=True)
    assert "Annual check 2026" in listing
    assert "Scoring fixture (version 1)" in listing


def test_the_section_page_draws_every_question_type_from_the_registry(officer):
    assessment_id = start(officer)
    html = officer.get(section_url(assessment_id, "b")).get_data(as_text=True)
    assert 'type="checkbox" id="a-b1-1" name="a:b1" value="x"' in html  # checklist
    assert 'name="a:b1" value="not_applicable"' in html
    assert 'inputmode="decimal" id="a-b2" name="a:b2"' in html  # number
    html = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    assert 'name="a:a2" value="4"' in html
    assert "Level 4: L4" in html
    assert 'name="a:a1" value="partly"' in html  # single choice


def test_journey_answer_reload_review_complete_results(officer, app):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "profile").set("a:p-ot", "yes")
    response = save(officer, assessment_id, "profile", form, **{"continue": "1"})
    assert response.headers["Location"].endswith(section_url(assessment_id, "a"))

    form = open_section(officer, assessment_id, "a")
    form.set("a:a1", "partly").set("c:a1", "Two lanes still use PINs.").set("a:a2", "3")
    form.set("r:a2", "1")
    assert save(officer, assessment_id, "a", form).status_code == 302

    again = open_section(officer, assessment_id, "a")  # reload shows exactly what was saved
    assert again.get("a:a1") == ["partly"]
    assert again.get("c:a1") == ["Two lanes still use PINs."]
    assert again.get("a:a2") == ["3"]
    assert again.get("r:a2") == ["1"]

    form = open_section(officer, assessment_id, "b").set("a:b1", "x", "z").set("a:b2", "12")
    assert save(officer, assessment_id, "b", form).status_code == 302
    form = open_section(officer, assessment_id, "c").set("a:c1", "no")
    assert save(officer, assessment_id, "c", form).status_code == 302

    review = officer.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    assert "Two lanes still use PINs." in review
    marked = officer.get(f"/assessments/{assessment_id}/review?show=review")
    assert "A2?" in marked.get_data(as_text=True)
    assert "B1?" not in marked.get_data(as_text=True)

    assert "Complete “Annual check 2026”?" in officer.get(
        f"/assessments/{assessment_id}/complete"
    ).get_data(as_text=True)
    officer.submit(f"/assessments/{assessment_id}/complete")
    results = officer.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "<svg" in results
    assert "Score per section" in results
    assert "W-a1" in results
    assert "Offline backup" in results
    with app.app_context():
        assert get_session().get(Assessment, assessment_id).is_completed


def test_one_wrong_answer_is_named_and_the_valid_ones_are_saved(officer, app):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes").set("a:a2", "9")
    response = save(officer, assessment_id, "a", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 answer was saved; 1 was not." in page
    assert '<a href="#question-a2">A2?</a>: Expected a level from 0 to 4.' in page
    again = Form(page, "section-form")
    assert again.get("a:a1") == ["yes"]  # saved, and shown as stored
    assert {qid: r.value for qid, r in stored(app, assessment_id).items()} == {"a1": "yes"}
    # The saved answer's new revision is on the page: correcting the other one is no conflict.
    response = save(officer, assessment_id, "a", again.set("a:a2", "3"))
    assert response.status_code == 302
    assert {qid: r.value for qid, r in stored(app, assessment_id).items()} == {"a1": "yes", "a2": 3}


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("a:a1", ["maybe"], "&#39;maybe&#39; is not a choice of this question"),
        ("a:a1", ["yes", "no"], "Choose one answer."),
        ("c:a1", ["x" * 5001], "The comment is 5001 characters; at most 5000."),
        ("a:a1", ["not_applicable"], "Say briefly in the comment why this does not apply."),
    ],
)
def test_bad_values_get_a_message_and_only_the_good_answer_is_saved(
    officer, app, field, values, message
):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a2", "1").set(field, *values)
    response = save(officer, assessment_id, "a", form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert set(stored(app, assessment_id)) == {"a2"}


def test_autosave_names_the_question_it_did_not_save(officer, app):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "not_applicable").set("a:a2", "2")
    response = officer.post(section_url(assessment_id, "a") + "/autosave", data=form.data())
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == (
        "1 answer was not saved: “A1?”: Say briefly in the comment why this does not apply. "
        "The other 1 was saved."
    )
    assert set(body["saved"]) == {"a2"}
    assert set(body["problems"]) == {"a1"}
    assert body["progress"]["answered"] == 1


def test_save_and_continue_after_the_background_save_says_all_is_saved(officer, app):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes")
    assert (
        officer.post(section_url(assessment_id, "a") + "/autosave", data=form.data()).status_code
        == 200
    )
    page = open_section(officer, assessment_id, "a")
    response = officer.post(
        section_url(assessment_id, "a"), data=page.data(**{"continue": "1"}), follow_redirects=True
    )
    assert "All answers saved." in response.get_data(as_text=True)


def test_answers_to_hidden_questions_are_refused(officer, app):
    assessment_id = start(officer)  # p-ot unanswered: section c is not asked
    page = officer.get(section_url(assessment_id, "c")).get_data(as_text=True)
    assert "This section does not apply to you" in page
    forged = [
        ("csrf_token", officer.csrf_token(section_url(assessment_id, "a"))),
        ("q", "c1"),
        ("v:c1", "0"),
        ("o:c1", ""),
        ("a:c1", "no"),
    ]
    response = officer.post(section_url(assessment_id, "c"), data=MultiDict(forged))
    assert response.status_code == 422
    assert "not asked with your other answers" in response.get_data(as_text=True)
    assert stored(app, assessment_id) == {}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([("q", "c1"), ("a:c1", "no")], "not in this section"),
        ([("q", "nowhere"), ("a:nowhere", "yes")], "not in this section"),
        ([("q", "a1"), ("q", "a1"), ("a:a1", "yes")], "not in this section"),
        ([("q", "a1"), ("v:a1", "abc"), ("a:a1", "yes")], "revision numbers were altered"),
    ],
)
def test_tampered_forms_are_refused_whole(officer, app, fields, message):
    assessment_id = start(officer)
    token = officer.csrf_token(section_url(assessment_id, "a"))
    response = officer.post(
        section_url(assessment_id, "a"), data=MultiDict([("csrf_token", token), *fields])
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(app, assessment_id) == {}


def test_saving_without_csrf_is_refused(officer, app):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes").set("csrf_token")
    assert save(officer, assessment_id, "a", form).status_code == 400
    assert stored(app, assessment_id) == {}


def test_autosave_returns_the_new_revision(officer, app):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes")
    response = officer.post(
        section_url(assessment_id, "a") + "/autosave",
        data=form.data(),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"]["a1"]["revision"] == 1
    assert body["progress"]["answered"] == 1
    assert stored(app, assessment_id)["a1"].value == "yes"


def test_a_colleagues_change_is_never_overwritten_silently(
    app, officer, people, colleague, make_client
):
    assessment_id = start(officer)
    other = make_client()
    other.login(colleague)
    mine = open_section(officer, assessment_id, "a")
    theirs = open_section(other, assessment_id, "a")

    assert (
        save(
            other,
            assessment_id,
            "a",
            theirs.set("a:a1", "yes").set("c:a1", "Checked with the gate."),
        ).status_code
        == 302
    )
    response = save(officer, assessment_id, "a", mine.set("a:a1", "no"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Colleague A changed this answer" in page
    assert "<strong>Yes</strong>" in page
    assert "Checked with the gate." in page
    assert stored(app, assessment_id)["a1"].value == "yes"  # theirs is kept

    # Saving the re-shown form again is a deliberate choice: it replaces their answer.
    again = Form(page, "section-form")
    assert again.get("a:a1") == ["no"]
    assert save(officer, assessment_id, "a", again).status_code == 302
    record = stored(app, assessment_id)["a1"]
    assert (record.value, record.revision) == ("no", 2)


def test_autosave_conflict_is_a_409_with_the_other_answer(app, officer, colleague, make_client):
    assessment_id = start(officer)
    other = make_client()
    other.login(colleague)
    mine = open_section(officer, assessment_id, "a").set("a:a1", "no")
    save(other, assessment_id, "a", open_section(other, assessment_id, "a").set("a:a1", "yes"))
    response = officer.post(section_url(assessment_id, "a") + "/autosave", data=mine.data())
    assert response.status_code == 409
    conflict = response.get_json()["conflicts"]["a1"]
    assert (conflict["changed_by"], conflict["answer"], conflict["revision"]) == (
        "Colleague A",
        "Yes",
        1,
    )


def test_untouched_questions_do_not_conflict(app, officer, colleague, make_client):
    assessment_id = start(officer)
    other = make_client()
    other.login(colleague)
    mine = open_section(officer, assessment_id, "a")
    save(other, assessment_id, "a", open_section(other, assessment_id, "a").set("a:a1", "yes"))
    assert save(officer, assessment_id, "a", mine.set("a:a2", "2")).status_code == 302
    answers = stored(app, assessment_id)
    assert (answers["a1"].value, answers["a2"].value) == ("yes", 2)
    assert answers["a1"].updated_by_id != answers["a2"].updated_by_id  # who changed what


def test_completed_assessments_are_read_only_until_reopened(app, officer):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes")
    officer.submit(f"/assessments/{assessment_id}/complete")
    response = save(officer, assessment_id, "a", form)
    assert response.status_code == 422
    assert "completed and read-only" in response.get_data(as_text=True)
    assert stored(app, assessment_id) == {}
    page = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    assert "This assessment is completed and read-only." in page

    officer.submit(f"/assessments/{assessment_id}/reopen")
    assert (
        save(
            officer,
            assessment_id,
            "a",
            open_section(officer, assessment_id, "a").set("a:a1", "yes"),
        ).status_code
        == 302
    )
    with app.app_context():
        event = get_session().scalar(
            select(AuditEvent).where(AuditEvent.action == "assessment.reopen")
        )
        assert event.actor_email == "officer.a@aldport.example"


def test_reassessment_copies_answers_to_recheck(app, officer):
    first = start(officer, "2025")
    save(
        officer,
        first,
        "a",
        open_section(officer, first, "a")
        .set("a:a1", "partly")
        .set("c:a1", "Lane 3 still on PINs."),
    )
    officer.submit(f"/assessments/{first}/complete")
    second = start(officer, "2026", previous_id=first)
    form = open_section(officer, second, "a")
    assert form.get("a:a1") == ["partly"]
    assert form.get("c:a1") == ["Lane 3 still on PINs."]
    review = officer.get(f"/assessments/{second}/review?show=recheck").get_data(as_text=True)
    assert "To re-check (1)" in review
    assert save(officer, second, "a", form.set("k:a1", "1")).status_code == 302
    assert not stored(app, second)["a1"].needs_recheck
    assert stored(app, first)["a1"].comment == "Lane 3 still on PINs."  # the old one is intact


def test_results_compare_with_the_previous_completed_assessment(officer):
    first = start(officer, "2025")
    save(officer, first, "a", open_section(officer, first, "a").set("a:a1", "no"))
    officer.submit(f"/assessments/{first}/complete")
    second = start(officer, "2026", previous_id=first)
    save(
        officer, second, "a", open_section(officer, second, "a").set("a:a1", "yes").set("k:a1", "1")
    )
    page = officer.get(f"/assessments/{second}/results").get_data(as_text=True)
    assert "Since “2025”" in page
    assert "Overall score 0 → 100 (+100)" in page
    assert "1 weakness resolved" in page


def test_downloads(app, officer):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "no")
    form.set("c:a1", '=HYPERLINK("http://evil.example")')
    save(officer, assessment_id, "a", form)

    response = officer.get(f"/assessments/{assessment_id}/result.json")
    data = json.loads(response.get_data(as_text=True))
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Port-of-')
    assert data["assessment"]["organisation"] == "Port of Aldport"
    assert data["weaknesses"][0]["question_id"] == "a1"

    plan = list(
        csv.reader(
            io.StringIO(
                officer.get(f"/assessments/{assessment_id}/action-plan.csv")
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    assert plan[0] == [
        "Horizon",
        "Mitigation",
        "What to do",
        "Effort",
        "Priority it closes",
        "Share of all open risk",
        "Weaknesses it closes",
        "Weaknesses it supports",
        "Owner",
        "Due date",
    ]
    assert plan[1][1] == "Offline backup"
    assert plan[1][6] == "W-a1"  # the weakness whose primary mitigation it is
    answers = list(
        csv.reader(
            io.StringIO(
                officer.get(f"/assessments/{assessment_id}/answers.csv")
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    row = next(r for r in answers if r[1] == "a1")
    assert row[5] == '\'=HYPERLINK("http://evil.example")'  # never a live formula


ROUTES = [
    "",
    "/sections/a",
    "/review",
    "/results",
    "/complete",
    "/reopen",
    "/result.json",
    "/action-plan.csv",
    "/answers.csv",
]


@pytest.mark.parametrize("route", ROUTES)
def test_another_organisation_gets_404_for_reads(app, officer, people, make_client, route):
    assessment_id = start(officer)
    intruder = make_client()
    intruder.login(people.officer_b)
    assert intruder.get(f"/assessments/{assessment_id}{route}").status_code == 404


@pytest.mark.parametrize("route", ["/sections/a", "/sections/a/autosave", "/complete", "/reopen"])
def test_another_organisation_gets_404_for_writes(app, officer, people, make_client, route):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes")
    intruder = make_client()
    intruder.login(people.officer_b)
    token = intruder.csrf_token("/account/password")
    data = MultiDict(
        [(k, v) for k, v in form.data().items(multi=True) if k != "csrf_token"]
        + [("csrf_token", token)]
    )
    assert intruder.post(f"/assessments/{assessment_id}{route}", data=data).status_code == 404
    assert stored(app, assessment_id) == {}
    with app.app_context():
        assert not get_session().get(Assessment, assessment_id).is_completed


def test_starting_from_another_organisations_assessment_is_404(app, officer, people, make_client):
    theirs = start(officer)
    intruder = make_client()
    intruder.login(people.officer_b)
    form = Form(intruder.get("/assessments/new").get_data(as_text=True), "start-form")
    form.set("title", "Copy").set("previous_id", theirs)
    response = intruder.post("/assessments/new", data=form.data())
    assert response.status_code == 200  # not a choice offered to them
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_admins_see_every_organisation_but_do_not_answer(app, officer, people, make_client):
    assessment_id = start(officer)
    admin = make_client()
    admin.login(people.admin)
    assert "Port of Aldport" in admin.get("/assessments/").get_data(as_text=True)
    assert admin.get(section_url(assessment_id, "a")).status_code == 200
    form = Form(
        admin.get(section_url(assessment_id, "a")).get_data(as_text=True), "section-form"
    ).set("a:a1", "yes")
    assert save(admin, assessment_id, "a", form).status_code == 403
    assert stored(app, assessment_id) == {}


def test_officers_list_only_their_organisation(app, officer, people, make_client):
    start(officer, "Aldport's secret assessment")
    other = make_client()
    other.login(people.officer_b)
    assert "Aldport's secret assessment" not in other.get("/assessments/").get_data(as_text=True)
