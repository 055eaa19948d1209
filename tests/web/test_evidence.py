"""Evidence behind answers: how we know and when it was last checked, saved with the answer,
refused on conflict like the answer, copied as "to re-check", filtered, exported and counted."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest

from ..forms import Form
from .test_assessments import open_section, save, start, stored


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def with_evidence(form: Form, question: str, evidence: str, checked: str) -> Form:
    return form.set(f"e:{question}", evidence).set(f"d:{question}", checked)


def test_evidence_is_saved_with_the_answer_and_shown_again(app, officer):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes")
    save(officer, assessment_id, "a", with_evidence(form, "a1", "Restore test RT-7", "2026-11-02"))
    record = stored(app, assessment_id)["a1"]
    assert (record.evidence, record.evidence_checked) == ("Restore test RT-7", date(2026, 11, 2))
    page = officer.get(f"/assessments/{assessment_id}/sections/a").get_data(as_text=True)
    assert "Restore test RT-7" in page
    assert 'value="2026-11-02"' in page
    revision = record.revision
    form = open_section(officer, assessment_id, "a")
    save(officer, assessment_id, "a", with_evidence(form, "a1", "Restore test RT-8", "2026-11-20"))
    assert stored(app, assessment_id)["a1"].revision == revision + 1  # a change of the answer


def test_a_colleagues_evidence_edit_conflicts_like_an_answer(app, officer, colleague, make_client):
    assessment_id = start(officer)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "no"))
    other = make_client()
    other.login(colleague)
    mine = open_section(officer, assessment_id, "a")
    theirs = open_section(other, assessment_id, "a")
    save(other, assessment_id, "a", with_evidence(theirs, "a1", "Their ticket", "2026-10-01"))
    refused = save(officer, assessment_id, "a", with_evidence(mine, "a1", "My doc", "2026-10-02"))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "changed this answer" in html
    assert "Their ticket" in html  # the colleague's evidence is shown
    assert stored(app, assessment_id)["a1"].evidence == "Their ticket"


@pytest.mark.parametrize(
    ("checked", "message"),
    [
        ("01/10/2026", "YYYY-MM-DD"),
        ((date.today() + timedelta(days=3)).isoformat(), "cannot be in the future"),
    ],
)
def test_a_bad_date_is_refused_beside_the_question(app, officer, checked, message):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes")
    response = save(officer, assessment_id, "a", with_evidence(form, "a1", "Doc", checked))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert "a1" not in stored(app, assessment_id)


def test_evidence_is_copied_to_a_new_assessment_to_re_check(app, officer):
    first = start(officer, "2025")
    form = open_section(officer, first, "a").set("a:a1", "yes")
    save(officer, first, "a", with_evidence(form, "a1", "Audit 2025", "2025-06-01"))
    second = start(officer, "2026", previous_id=str(first))
    copied = stored(app, second)["a1"]
    assert (copied.evidence, copied.needs_recheck) == ("Audit 2025", True)


def test_review_filters_answers_without_evidence_and_with_old_evidence(officer):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes").set("a:a2", "2")
    with_evidence(form, "a1", "Old audit", (date.today() - timedelta(days=400)).isoformat())
    save(officer, assessment_id, "a", form)
    base = f"/assessments/{assessment_id}/review"
    missing = officer.get(base + "?show=no_evidence").get_data(as_text=True)
    assert "A2?" in missing
    assert "A1?" not in missing
    old = officer.get(base + "?show=old_evidence").get_data(as_text=True)
    assert "A1?" in old
    assert "A2?" not in old


def test_evidence_and_a_comment_without_an_answer_reach_the_exports(officer):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a1", "no")
    with_evidence(form, "a1", "Ticket SEC-41", "2026-09-09")
    form.set("c:a2", "Waiting for the supplier's answer.")  # a comment, no answer yet
    save(officer, assessment_id, "a", form)
    data = json.loads(officer.get(f"/assessments/{assessment_id}/result.json").data)
    rows = {a["question_id"]: a for a in data["answers"]}
    assert (rows["a1"]["evidence"], rows["a1"]["evidence_checked"]) == (
        "Ticket SEC-41",
        "2026-09-09",
    )
    assert rows["a2"]["comment"] == "Waiting for the supplier's answer."
    assert rows["a2"]["status"] == "unanswered"
    assert data["counts"]["answers_with_evidence"] == 1
    table = list(
        csv.reader(
            io.StringIO(
                officer.get(f"/assessments/{assessment_id}/answers.csv").get_data(as_text=True)
            )
        )
    )
    header, lines = table[0], {row[1]: row for row in table[1:]}
    assert lines["a1"][header.index("Evidence (how we know)")] == "Ticket SEC-41"
    assert lines["a2"][header.index("Comment")] == "Waiting for the supplier's answer."
    assert lines["a1"][header.index("Open weakness (severity)")] == "critical"
    results = officer.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "Evidence behind 1 answer" in results
