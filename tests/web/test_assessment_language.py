"""An assessment has a language: its pages, its downloads and its report appear in it,
whatever the language of the person looking; it is chosen at the start and can be changed."""

from __future__ import annotations

import csv
import io

import pytest
from babel.support import Translations
from sqlalchemy import select

from assessment.db import get_session
from assessment.i18n import TRANSLATIONS_DIR
from assessment.models import Assessment, AuditEvent

from ..forms import Form


def words(language: str, message: str) -> str:
    return Translations.load(str(TRANSLATIONS_DIR), [language]).ugettext(message)


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def start(client, language: str) -> int:
    form = Form(client.get("/assessments/new").get_data(as_text=True), "start-form")
    form.set("title", "Jaarlijkse check").set("scope", "De haven").set("language", language)
    response = client.post("/assessments/new", data=form.data())
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].split("/")[2])


def change(client, assessment_id: int, language: str):
    page = client.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    form = Form(page, "language-form").set("language", language)
    return client.post(f"/assessments/{assessment_id}/language", data=form.data())


def test_the_start_form_offers_the_users_language_first(officer):
    page = officer.get("/assessments/new", headers={"Accept-Language": "de"}).get_data(True)
    assert '<option selected value="de"' in page or 'value="de" selected' in page


def test_the_pages_and_csv_follow_the_assessment_not_the_browser(app, officer):
    assessment_id = start(officer, "nl")
    with app.app_context():
        assert get_session().get(Assessment, assessment_id).language == "nl"
    page = officer.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert words("nl", "Results") in page
    assert words("nl", "Results") != "Results"
    plan = officer.get(f"/assessments/{assessment_id}/action-plan.csv").get_data().decode()
    header = next(csv.reader(io.StringIO(plan.removeprefix("\ufeff")), delimiter=";"))
    assert header[0] == words("nl", "Horizon") != "Horizon"
    assert len(header) > 5  # split on the Dutch separator


def test_changing_the_language_is_audited_and_applies_at_once(app, officer):
    assessment_id = start(officer, "en")
    response = change(officer, assessment_id, "fr")
    assert response.status_code == 302
    page = officer.get(response.headers["Location"], follow_redirects=True).get_data(True)
    assert '<html lang="fr"' in page
    with app.app_context():
        event = (
            get_session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "assessment.language"))
            .one()
        )
        assert event.details["language"] == "fr"


def test_an_unknown_language_changes_nothing(app, officer):
    assessment_id = start(officer, "es")
    page = officer.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    form = Form(page, "language-form").set("language", "xx").data()
    response = officer.post(f"/assessments/{assessment_id}/language", data=form)
    assert response.status_code == 302
    with app.app_context():
        assert get_session().get(Assessment, assessment_id).language == "es"


def test_another_organisation_cannot_change_it(app, officer, people, make_client):
    assessment_id = start(officer, "nl")
    other = make_client()
    other.login(people.officer_b)
    own = Form(other.get("/assessments/new").get_data(as_text=True), "start-form").data()
    form = {"csrf_token": own["csrf_token"], "language": "de"}
    assert other.post(f"/assessments/{assessment_id}/language", data=form).status_code == 404
    with app.app_context():
        assert get_session().get(Assessment, assessment_id).language == "nl"
