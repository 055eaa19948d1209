"""An organisation's default language: an administrator sets it, and its officers who have not
chosen one of their own see the app in it, whatever their browser asks for."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent, Organisation, User

FORM = {"name": "Port of Aldport", "kind": "port_authority", "country": "NL"}


@pytest.fixture
def admin(client, people):
    client.login(people.admin)
    return client


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]*)">', page).group(1)


def set_language(app, organisation_id: int, language: str | None) -> None:
    with app.app_context():
        session = get_session()
        session.get(Organisation, organisation_id).language = language
        session.commit()


def test_an_administrator_sets_it_and_it_is_stored_audited_and_listed(app, admin, people):
    edit = f"/admin/organisations/{people.org_a}/edit"
    form = admin.get(edit).get_data(as_text=True)
    choices = re.search(r'<select [^>]*name="language">(.*?)</select>', form).group(1)
    assert choices.startswith('<option value="">Browser\'s language</option>')
    assert "selected" not in choices  # the browser's language until one is chosen
    assert '<option lang="nl" value="nl">Nederlands</option>' in choices  # named in itself

    response = admin.submit(edit, {**FORM, "language": "nl"})

    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        assert session.get(Organisation, people.org_a).language == "nl"
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "organisation.update")
        ).one()
        assert event.details["changes"] == {"language": [None, "nl"]}
    listing = admin.get("/admin/organisations").get_data(as_text=True)
    assert '<td><span lang="nl">Nederlands</span></td>' in listing
    assert "<td>Browser's language</td>" in listing  # the other organisation
    shown = admin.get(edit).get_data(as_text=True)
    assert re.search(r'<option (?=[^>]*\bselected\b)[^>]*value="nl"', shown)  # the form shows it


def test_a_new_organisation_can_have_one(app, admin):
    response = admin.submit(
        "/admin/organisations/new",
        {"name": "Port de Havrebourg", "kind": "port_authority", "country": "FR", "language": "fr"},
    )
    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        created = session.scalar(
            select(Organisation).where(Organisation.name == "Port de Havrebourg")
        )
        assert created.language == "fr"
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "organisation.create")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.details["language"] == "fr"


@pytest.mark.parametrize("language", ["xx", "pl", "nl-BE", "English"])
def test_an_unknown_language_is_refused_with_a_message(app, admin, people, language):
    response = admin.submit(
        f"/admin/organisations/{people.org_a}/edit", {**FORM, "language": language}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was saved." in page
    assert "Choose one of the languages in the list." in page
    with app.app_context():
        assert get_session().get(Organisation, people.org_a).language is None


def test_choosing_the_browsers_language_again_clears_it(app, admin, people):
    set_language(app, people.org_a, "de")
    admin.submit(f"/admin/organisations/{people.org_a}/edit", {**FORM, "language": ""})
    with app.app_context():
        assert get_session().get(Organisation, people.org_a).language is None


def test_its_officers_get_it_before_their_browsers_language(app, make_client, people):
    set_language(app, people.org_a, "nl")
    officer = make_client()
    officer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    officer.login(people.officer_a)
    assert html_lang(officer.get("/assessments/").get_data(as_text=True)) == "nl"

    # The other organisation has none: its officer gets what the browser asks for.
    other = make_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr, en;q=0.5"
    other.login(people.officer_b)
    assert html_lang(other.get("/assessments/").get_data(as_text=True)) == "fr"


def test_an_officers_own_language_comes_before_the_organisations(app, make_client, people):
    set_language(app, people.org_a, "nl")
    with app.app_context():
        session = get_session()
        session.scalar(select(User).where(User.email == people.officer_a)).language = "de"
        session.commit()
    officer = make_client()
    officer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    officer.login(people.officer_a)
    assert html_lang(officer.get("/assessments/").get_data(as_text=True)) == "de"


def test_countries_are_named_and_ordered_in_the_administrators_language(app, admin, people):
    with app.app_context():
        session = get_session()
        session.execute(
            User.__table__.update().where(User.email == people.admin).values(language="de")
        )
        session.commit()
    listing = admin.get("/admin/organisations").get_data(as_text=True)
    assert "<td>Niederlande</td>" in listing
    form = admin.get("/admin/organisations/new").get_data(as_text=True)
    names = re.findall(r'<option value="([A-Z]{2})">([^<]*)</option>', form)
    named = dict(names)
    assert named["NL"] == "Niederlande"
    assert named["DE"] == "Deutschland"
    order = [code for code, _ in names]
    # Deutschland, Niederlande, Österreich (as O); Ägypten among the A's.
    assert order.index("DE") < order.index("NL") < order.index("AT")
    assert order.index("EG") < order.index("DE")
