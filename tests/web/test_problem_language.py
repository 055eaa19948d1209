"""The question-set validator's problems in the administrator's language: a Dutch administrator
reads a draft's problems in Dutch on the overview, beside the object, and beside the field of
a refused edit, while the YAML keys of the file stay as they are written."""

from __future__ import annotations

from html import unescape

import pytest

from assessment.db import get_session
from assessment.models import QuestionSetVersion
from assessment.questionset.yaml_io import dump_yaml
from assessment.services import drafts

from ..forms import Form
from .test_editor import BASE, make_draft, post_form, question_form


def login_in(client, email: str, language: str):
    client.login(email)
    response = client.submit(
        "/account/language", {"language": language}, form_page="/account/password"
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def dutch_admin(client, people, scoring_set):
    return login_in(client, people.admin, "nl")


def broken_draft(app, admin, version_id: int) -> int:
    """A draft with two problems: a weight out of range and a mitigation that is not there."""
    draft_id = make_draft(admin, app, version_id)
    with app.app_context():
        session = get_session()
        draft = session.get(QuestionSetVersion, draft_id)
        data = drafts.data_of(draft)
        profile, section_a = data["sections"][0], data["sections"][1]
        profile["questions"][0]["weight"] = -1  # question p-ot
        section_a["questions"][0]["mitigations"].append("m-gone")  # question a1
        draft.source_yaml = dump_yaml(data)
        session.commit()
    return draft_id


def test_a_dutch_administrator_reads_the_drafts_problems_in_dutch(app, dutch_admin, scoring_set):
    draft_id = broken_draft(app, dutch_admin, scoring_set)
    page = dutch_admin.get(f"{BASE}/{draft_id}").get_data(as_text=True)
    assert '<html lang="nl">' in page
    # The list of problems: who (translated), the file's key (as written), what (translated).
    assert (
        "<li>vraag ‘p-ot’: weight: -1 valt buiten het bereik: moet hoger zijn dan 0.0</li>" in page
    )
    assert "<li>vraag ‘a1’: maatregel ‘m-gone’ staat niet in mitigations</li>" in page
    # Beside the question it concerns.
    question_item = page[page.index('id="question-p-ot"') :].split("</li>")[0]
    assert "weight: -1 valt buiten het bereik: moet hoger zijn dan 0.0" in question_item
    assert "out of range" not in page


def test_the_same_draft_stays_english_for_an_english_administrator(
    app, client, people, scoring_set
):
    admin = login_in(client, people.admin, "en")
    draft_id = broken_draft(app, admin, scoring_set)
    page = unescape(admin.get(f"{BASE}/{draft_id}").get_data(as_text=True))
    assert "question 'p-ot': weight: -1 is out of range: must be above 0.0" in page
    assert "question 'a1': mitigation 'm-gone' is not in mitigations" in page


def test_a_refused_edit_shows_its_problem_beside_the_field_in_dutch(app, dutch_admin, scoring_set):
    draft_id = make_draft(dutch_admin, app, scoring_set)
    form = question_form(dutch_admin, draft_id, "a1").set("choices-1-score", "1.5")
    response = post_form(dutch_admin, f"{BASE}/{draft_id}/questions/a1/edit", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    beside = '<span class="errors block">1.5 valt buiten het bereik: moet hoogstens 1.0 zijn</span>'
    assert beside in page
    assert Form(page[page.index("<main") :]).get("choices-1-score") == ["1.5"]
