"""Choice rows in the question editor can be inserted anywhere and reordered without a script:
rows are saved in the order of their position numbers (the script's buttons only keep those
numbers in step; tests/browser/test_editor_rows.py drives them)."""

from __future__ import annotations

import pytest

from assessment.db import get_session
from assessment.models import QuestionSetVersion
from assessment.questionset import editing as edit
from assessment.services import drafts

from ..forms import Form
from .test_editor import BASE, make_draft

A1 = ["yes", "partly", "no", "dont_know", "not_applicable"]


@pytest.fixture
def draft(client, people, scoring_set, app):
    client.login(people.admin)
    return make_draft(client, app, scoring_set)


def a1_form(client, draft: int) -> tuple[Form, str]:
    html = client.get(f"{BASE}/{draft}/questions/a1/edit").get_data(as_text=True)
    return Form(html[html.index("<main") :]), html


def saved_choices(app, draft: int) -> list[str]:
    with app.app_context():
        data = drafts.data_of(get_session().get(QuestionSetVersion, draft))
    return [c["id"] for c in edit.find_question(data, "a1")[1]["choices"]]


def test_rows_are_numbered_and_labels_wrap_instead_of_being_cut(client, draft):
    form, html = a1_form(client, draft)
    assert form.get("choices-0-position") == ["1"]
    assert form.get("choices-7-position") == ["8"]  # 5 choices and 3 empty rows
    assert '<textarea aria-label="Label, row 1" id="choices-0-label"' in html
    assert "Rows are saved in the order of their position numbers" in html


def test_an_empty_row_numbered_2_is_inserted_second(app, client, draft):
    form, _ = a1_form(client, draft)
    form.set("choices-5-id", "mostly").set("choices-5-label", "Mostly\r\nso")
    form.set("choices-5-score", "0.75").set("choices-5-position", "2")
    response = client.post(f"{BASE}/{draft}/questions/a1/edit", data=form.data())
    assert response.status_code == 302, response.get_data(as_text=True)
    assert saved_choices(app, draft) == ["yes", "mostly", "partly", *A1[2:]]
    form, _ = a1_form(client, draft)
    assert form.get("choices-1-label") == ["Mostly so"]  # a label is one line


def test_a_row_given_another_number_moves_there(app, client, draft):
    form, _ = a1_form(client, draft)
    form.set("choices-2-position", "1")  # "no" first
    assert client.post(f"{BASE}/{draft}/questions/a1/edit", data=form.data()).status_code == 302
    assert saved_choices(app, draft) == ["no", "yes", "partly", "dont_know", "not_applicable"]
    form, _ = a1_form(client, draft)
    form.set("choices-0-position", "3.5")  # between the third and the fourth
    assert client.post(f"{BASE}/{draft}/questions/a1/edit", data=form.data()).status_code == 302
    assert saved_choices(app, draft) == ["yes", "partly", "no", "dont_know", "not_applicable"]


def test_a_bad_position_is_refused_beside_its_row(app, client, draft):
    form, _ = a1_form(client, draft)
    form.set("choices-1-position", "second")
    response = client.post(f"{BASE}/{draft}/questions/a1/edit", data=form.data())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    cell = page[page.index('id="choices-1-position"') :].split("</td>")[0]
    assert "Enter a number." in cell
    assert saved_choices(app, draft) == A1


def test_a_problem_in_an_inserted_row_is_shown_on_that_row_in_its_new_place(app, client, draft):
    form, _ = a1_form(client, draft)
    form.set("choices-6-id", "mostly").set("choices-6-label", "Mostly")
    form.set("choices-6-score", "1.5").set("choices-6-position", "1")
    response = client.post(f"{BASE}/{draft}/questions/a1/edit", data=form.data())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    rows = page[page.index("<tbody>") :].split("</tr>")
    assert 'value="mostly"' in rows[0]  # shown first, where it was put
    assert "errors" in rows[0]
    assert "errors" not in rows[1]
    assert saved_choices(app, draft) == A1
