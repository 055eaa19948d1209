"""Version moves that tell the truth: a question that changed between the versions is listed
with its differences, and its carried answer is marked "to re-check"; every assessment page
says when a newer version is published; publishing shows the change list first."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent, QuestionSetVersion
from assessment.questionset import editing as edit

from ..forms import Form
from .test_assessments import open_section, save, start, stored
from .test_moves import publish_next_version

A1_NEW = "A1: are all backups tested by a full restore at least once a year?"


def publish_changed_v2(app) -> int:
    """Version 2 of the scoring set: a1 reworded with a choice added (its answer "yes" still
    fits), a2's weakness rewritten (not a change for officers), the rest as it was."""

    def changes(data):
        _, a1 = edit.find_question(data, "a1")
        a1["text"] = A1_NEW
        a1["choices"].insert(1, {"id": "mostly", "label": "Mostly", "score": 0.75})
        _, a2 = edit.find_question(data, "a2")
        a2["weakness"]["why"] = "A clearer reason."
        return [edit.put_question("a", a1, "a1"), edit.put_question("a", a2, "a2")]

    return publish_next_version(app, changes)


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


@pytest.fixture
def answered(officer):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes").set("a:a2", "2")
    assert save(officer, assessment_id, "a", form).status_code == 302
    form = open_section(officer, assessment_id, "b").set("a:b2", "14")
    assert save(officer, assessment_id, "b", form).status_code == 302
    return assessment_id


def test_the_move_page_lists_the_changed_question_with_its_differences(app, officer, answered):
    publish_changed_v2(app)
    response = officer.get(f"/assessments/{answered}/move")
    page = response.get_data(as_text=True)
    assert "<strong>2</strong> answers carried over as they are" in page  # a2 and b2
    assert (
        "<strong>1</strong> answer carried over to a question that changed, marked “to re-check”: "
        '<a href="#change-a1">a1</a>' in page
    )
    change = page[page.index('id="change-a1"') :].split("</article>")[0]
    assert "<del>A1?</del>" in change
    assert f"<ins>{A1_NEW}</ins>" in change
    assert "Choice &#39;mostly&#39;" in change
    assert "“Mostly”, score 0.75" in change
    assert "Your answer is carried over and marked “to re-check”." in change
    assert 'id="change-a2"' not in page  # a weakness edit does not change what was answered
    # One version to move to: the page shows the changes at once; no form reloads it.
    assert "Show what changes" not in page


def test_moving_marks_the_changed_answer_to_re_check_and_only_it(app, officer, answered):
    version_2 = publish_changed_v2(app)
    response = officer.submit(f"/assessments/{answered}/move", {"version": str(version_2)})
    assert response.status_code == 302
    answers = stored(app, answered)
    assert answers["a1"].needs_recheck
    assert answers["a1"].value == "yes"
    assert not answers["a2"].needs_recheck
    assert not answers["b2"].needs_recheck
    page = officer.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "(1 of them to re-check: their question changed)" in page
    review = officer.get(f"/assessments/{answered}/review?show=recheck").get_data(as_text=True)
    assert "To re-check (1)" in review
    assert A1_NEW in review
    with app.app_context():
        details = get_session().scalar(
            select(AuditEvent.details).where(AuditEvent.action == "assessment.move")
        )
    assert details["to_recheck"] == 1
    # "Still correct" clears the mark, as for answers copied from a previous assessment.
    section = officer.get(f"/assessments/{answered}/sections/a").get_data(as_text=True)
    assert 'name="k:a1"' in section
    assert 'name="k:a2"' not in section
    form = open_section(officer, answered, "a")
    assert save(officer, answered, "a", form.set("k:a1", "1")).status_code == 302
    assert not stored(app, answered)["a1"].needs_recheck


def test_every_assessment_page_and_the_list_say_a_newer_version_exists(app, officer, answered):
    pages = [
        "/assessments/",
        f"/assessments/{answered}/sections/a",
        f"/assessments/{answered}/review",
        f"/assessments/{answered}/results",
    ]
    for path in pages:
        assert "newer-version" not in officer.get(path).get_data(as_text=True), path
    publish_changed_v2(app)
    link = f'href="/assessments/{answered}/move">See what changes and move to version 2'
    for path in pages:
        page = officer.get(path).get_data(as_text=True)
        assert "Version 2 of this question set is published." in page, path
        assert link in page, path
    version_2 = app_version(app, 2)
    officer.submit(f"/assessments/{answered}/move", {"version": str(version_2)})
    for path in pages:
        assert "newer-version" not in officer.get(path).get_data(as_text=True), path


def app_version(app, number: int) -> int:
    with app.app_context():
        return get_session().scalar(
            select(QuestionSetVersion.id).where(QuestionSetVersion.version == number)
        )


BASE = "/admin/question-sets"


@pytest.fixture
def admin(make_client, people, scoring_set):
    client = make_client()
    client.login(people.admin)
    return client


def draft_with_a_changed_question(admin, scoring_set) -> int:
    response = admin.submit(f"{BASE}/{scoring_set}/copy", form_page=f"{BASE}/")
    draft_id = int(re.search(r"/(\d+)", response.headers["Location"]).group(1))
    html = admin.get(f"{BASE}/{draft_id}/questions/a1/edit").get_data(as_text=True)
    form = Form(html[html.index("<main") :]).set("text", A1_NEW).set("choices-1-score", "0.4")
    assert admin.post(f"{BASE}/{draft_id}/questions/a1/edit", data=form.data()).status_code == 302
    return draft_id


def test_publishing_shows_the_change_list_first_then_publishes(app, admin, scoring_set):
    draft_id = draft_with_a_changed_question(admin, scoring_set)
    page = admin.get(f"{BASE}/{draft_id}/publish").get_data(as_text=True)
    assert "What changes for officers, against version 1" in page
    assert "<strong>1</strong> question changed" in page
    change = page[page.index('id="change-a1"') :].split("</article>")[0]
    assert "<del>A1?</del>" in change
    assert f"<ins>{A1_NEW}</ins>" in change
    assert "<del>0.5</del>" in change
    assert "<ins>0.4</ins>" in change
    assert app_version(app, 2) == draft_id
    with app.app_context():
        assert get_session().get(QuestionSetVersion, draft_id).status == "draft"
    assert admin.submit(f"{BASE}/{draft_id}/publish").status_code == 302
    with app.app_context():
        assert get_session().get(QuestionSetVersion, draft_id).status == "published"


def test_a_draft_edited_after_its_change_list_was_shown_is_not_published(app, admin, scoring_set):
    draft_id = draft_with_a_changed_question(admin, scoring_set)
    form = Form(admin.get(f"{BASE}/{draft_id}/publish").get_data(as_text=True))
    html = admin.get(f"{BASE}/{draft_id}/questions/a2/edit").get_data(as_text=True)
    other = Form(html[html.index("<main") :]).set("text", "A2, edited meanwhile?")
    assert admin.post(f"{BASE}/{draft_id}/questions/a2/edit", data=other.data()).status_code == 302
    response = admin.post(f"{BASE}/{draft_id}/publish", data=form.data())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/{draft_id}/publish")
    with app.app_context():
        assert get_session().get(QuestionSetVersion, draft_id).status == "draft"
    again = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "changed after you looked at its changes" in again
    assert "A2, edited meanwhile?" in again
