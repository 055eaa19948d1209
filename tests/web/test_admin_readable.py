"""Administration a person can read: a country is chosen, never defaulted; lists and the audit
log show names instead of codes, ids and raw data; a question edit records before and after."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from assessment.db import get_session
from assessment.models import Organisation

from ..forms import Form
from .test_editor import BASE, make_draft


@pytest.fixture
def admin(client, people):
    client.login(people.admin)
    return client


def main_form(client, path: str) -> Form:
    html = client.get(path).get_data(as_text=True)
    return Form(html[html.index("<main") :])


def test_a_new_organisation_has_no_country_until_one_is_chosen(app, admin):
    html = admin.get("/admin/organisations/new").get_data(as_text=True)
    select_html = html[html.index('<select id="country"') :].split("</select>")[0]
    first = select_html.split("<option", 2)[1]
    assert first == ' value="">Choose a country</option>'
    assert "selected" not in select_html  # a browser shows the first option: no country
    assert select_html.index("Åland Islands") < select_html.index("Albania")
    form = main_form(admin, "/admin/organisations/new").set("name", "Port of Nowhere")
    response = admin.post("/admin/organisations/new", data=form.data())
    page = response.get_data(as_text=True)
    assert "Choose the country the organisation is in." in page
    assert "Nothing was saved." in page
    with app.app_context():
        count = get_session().scalar(
            select(func.count()).where(Organisation.name == "Port of Nowhere")
        )
    assert count == 0
    form.set("country", "DE")
    assert admin.post("/admin/organisations/new", data=form.data()).status_code == 302


def test_the_organisations_list_shows_country_names(admin):
    page = admin.get("/admin/organisations").get_data(as_text=True)
    assert "<td>Netherlands</td>" in page
    assert "<td>Belgium</td>" in page
    assert "<td>NL</td>" not in page


def test_the_audit_log_reads_as_words(app, admin, people):
    edit_page = f"/admin/organisations/{people.org_a}/edit"
    form = main_form(admin, edit_page).set("country", "BE")
    assert admin.post(edit_page, data=form.data()).status_code == 302
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "<b>country:</b> Netherlands → Belgium" in page
    assert "<b>country:</b> Netherlands</li>" in page  # the organisation's creation
    assert "<b>organisation:</b> Port of Aldport" in page  # the officer's creation
    assert "organisation “Port of Aldport”" in page
    assert "user admin@port-assess.example" in page
    assert "{&#39;" not in page
    assert "[&#39;" not in page
    assert "organisation_id" not in page


def test_a_question_edit_records_before_and_after(app, admin, scoring_set):
    draft = make_draft(admin, app, scoring_set)
    form = main_form(admin, f"{BASE}/{draft}/questions/a1/edit")
    form.set("text", "A1, reworded?").set("choices-1-score", "0.4")
    assert admin.post(f"{BASE}/{draft}/questions/a1/edit", data=form.data()).status_code == 302
    page = admin.get("/admin/audit?action=question_set.edit").get_data(as_text=True)
    assert "<b>text:</b> A1? → A1, reworded?" in page
    assert "<b>choice &#39;partly&#39; score:</b> 0.5 → 0.4" in page
    rows = list(
        csv.reader(
            io.StringIO(
                admin.get("/admin/audit.csv?action=question_set.edit")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert "text: A1? → A1, reworded?" in rows[1][-1]
    assert "question 'a1'" in rows[1][-1]
