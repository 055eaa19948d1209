"""The audit log in the administrator's language: the labels of an event's details, yes and no,
"(none)", the names of countries, roles and languages, and the words around a target, on the
page and in its CSV download (as other downloads, in the viewer's language). What the log
stored as text (a draft edit's field paths) stays as stored."""

from __future__ import annotations

import csv
import io

import pytest
from babel.support import Translations

from assessment.db import get_session
from assessment.i18n import TRANSLATIONS_DIR
from assessment.services import audit, users
from assessment.services.users import find_by_email

from ..forms import Form


def words(language: str, message: str) -> str:
    return Translations.load(str(TRANSLATIONS_DIR), [language]).ugettext(message)


@pytest.fixture
def dutch_admin(app, client, people):
    with app.app_context():
        session = get_session()
        users.set_language(session, find_by_email(session, people.admin), "nl")
    client.login(people.admin)
    return client


@pytest.fixture
def events(app, people, dutch_admin):
    """A country changed on the form; a translation's texts stored and confirmed; a draft edit
    with more changes than the log keeps."""
    edit_page = f"/admin/organisations/{people.org_a}/edit"
    html = dutch_admin.get(edit_page).get_data(as_text=True)
    form = Form(html[html.index("<main") :]).set("country", "BE")
    assert dutch_admin.post(edit_page, data=form.data()).status_code == 302
    with app.app_context():
        session = get_session()
        admin = find_by_email(session, people.admin)
        audit.record(
            session,
            admin,
            "question_set.translation",
            "scoring version 1",
            language="fr",
            texts=3,
            confirmed=True,
        )
        audit.record(
            session,
            admin,
            "question_set.edit",
            "scoring v2",
            what="question 'a1'",
            changes=[["text", "A1?", "A1, again?"], ["…", "", "and 5 more changes"]],
        )
        session.commit()


def test_a_dutch_administrator_reads_the_log_in_dutch(dutch_admin, events):
    page = dutch_admin.get("/admin/audit").get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert "<b>land:</b> Nederland → België" in page
    assert "<b>organisatie:</b> Port of Aldport" in page  # an officer's creation
    assert "<b>rol:</b> Functionaris" in page
    assert "organisatie “Port of Aldport”" in page
    assert "gebruiker admin@port-assess.example" in page
    assert "<b>taal:</b> Français" in page
    assert "<b>teksten gewijzigd:</b> 3" in page
    assert "<b>bevestigd: niet langer machinaal opgesteld:</b> ja" in page
    assert "scoring versie 1" in page
    assert "<b>onderwerp:</b> question &#39;a1&#39;" in page  # stored as written
    assert "<b>text:</b> A1? → A1, again?" in page  # a draft's field path, as stored
    assert "<b>…:</b> en nog 5 wijzigingen" in page
    for english in ("<b>country:", "<b>language:", "<b>texts:", "<b>confirmed:", "<b>role:"):
        assert english not in page


def test_the_csv_is_in_the_administrators_language(dutch_admin, events):
    text = dutch_admin.get("/admin/audit.csv").get_data(as_text=True).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == words("nl", "When (UTC)") != "When (UTC)"
    details = [row[-1] for row in rows[1:]]
    assert "land: Nederland → België" in details
    assert any("teksten gewijzigd: 3" in d for d in details)
    assert any("…: en nog 5 wijzigingen" in d for d in details)


def test_an_english_administrator_reads_it_as_before(app, client, people, events):
    with app.app_context():
        session = get_session()
        users.set_language(session, find_by_email(session, people.admin), "en")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<b>country:</b> Netherlands → Belgium" in page
    assert "<b>role:</b> Officer" in page
    assert "<b>texts changed:</b> 3" in page
    assert "<b>confirmed: no longer machine-drafted:</b> yes" in page
    assert "<b>…:</b> and 5 more changes" in page
    assert "scoring version 1" in page
