"""A person's own interface language: chosen on the account page, stored on the account, and
followed by every page after; without a choice the browser's Accept-Language decides."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import User

ACCOUNT = "/account/password"


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]*)">', page).group(1)


def stored_language(app, email: str) -> str | None:
    with app.app_context():
        return get_session().scalar(select(User.language).where(User.email == email))


@pytest.fixture
def officer(make_client, people):
    client = make_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(people.officer_a)
    return client


def test_the_account_page_offers_each_language_named_in_itself(officer):
    page = officer.get(ACCOUNT).get_data(as_text=True)
    choices = re.search(r'<select [^>]*name="language"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert choices.startswith('<option selected value="">Organisation default / browser</option>')
    for code, name in (("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch")):
        assert f'<option lang="{code}" value="{code}">{name}</option>' in choices
    assert 'action="/account/language"' in page


def test_a_user_who_chooses_nederlands_gets_the_next_page_in_dutch(app, officer, people):
    response = officer.submit("/account/language", {"language": "nl"}, form_page=ACCOUNT)

    assert response.status_code == 302
    assert response.headers["Location"] == ACCOUNT
    assert stored_language(app, people.officer_a) == "nl"
    page = officer.get("/assessments/").get_data(as_text=True)
    assert html_lang(page) == "nl"  # whatever the browser (English) asks for
    account = officer.get(ACCOUNT).get_data(as_text=True)
    assert re.search(r'<option (?=[^>]*\bselected\b)[^>]*value="nl"', account)  # shown as set


def test_the_empty_choice_gives_the_browser_its_say_again(app, officer, people):
    officer.submit("/account/language", {"language": "de"}, form_page=ACCOUNT)
    officer.submit("/account/language", {"language": ""}, form_page=ACCOUNT)
    assert stored_language(app, people.officer_a) is None
    assert html_lang(officer.get("/assessments/").get_data(as_text=True)) == "en"


@pytest.mark.parametrize("language", ["xx", "pl", "nl-BE", "Nederlands"])
def test_an_unknown_language_is_refused_with_a_clear_message(app, officer, people, language):
    response = officer.submit("/account/language", {"language": language}, form_page=ACCOUNT)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"The interface has no language &#39;{language}&#39;." in page
    assert 'aria-invalid="true"' in page  # beside the field, for a screen reader too
    assert stored_language(app, people.officer_a) is None


def test_without_a_token_nothing_is_changed(app, officer, people):
    response = officer.post("/account/language", data={"language": "nl"})
    assert response.status_code == 400
    assert stored_language(app, people.officer_a) is None


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("nl-BE,nl;q=0.9,en;q=0.5", "nl"), ("de-DE", "de"), ("pl, es;q=0.8", "es"), ("pl", "en")],
)
def test_without_a_choice_the_browsers_language_decides(make_client, people, accept, expected):
    client = make_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
    assert html_lang(client.get("/login").get_data(as_text=True)) == expected  # nobody yet
    client.login(people.officer_b)  # neither they nor their organisation chose one
    assert html_lang(client.get("/assessments/").get_data(as_text=True)) == expected
