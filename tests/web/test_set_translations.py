"""A question set's translation stored with its version: the assessment's pages, its exports
and its PDF report are in the assessment's language, questions included; the same state in
another language is kept apart; an incomplete translation is refused with file:line and
nothing is stored."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assessment.cli import cli
from assessment.db import get_session
from assessment.models import QuestionSetTranslation, QuestionSetVersion, User
from assessment.questionset import editing as edit
from assessment.questionset.translations import TranslationIncomplete
from assessment.services import drafts, set_translations
from assessment.web.common import fragments

from ..conftest import fetch_pdf, import_question_set
from ..forms import Form
from ..report.conftest import pages_text
from .test_assessment_language import change
from .test_assessments import open_section, save, section_url, start

FOLDER = Path(__file__).resolve().parents[1] / "data" / "translations"


@pytest.fixture
def minimal(app, people) -> int:
    return minimal_in_dutch(app)


def minimal_in_dutch(app) -> int:
    """The minimal set with its Dutch translation stored."""
    version_id = import_question_set(app, str(FOLDER / "minimal.yaml"))
    with app.app_context():
        session = get_session()
        version = session.get(QuestionSetVersion, version_id)
        data = (FOLDER / "minimal.nl.yaml").read_bytes()
        set_translations.store_translation(session, version, data, "minimal.nl.yaml")
    return version_id


@pytest.fixture
def officer(client, people):
    client.login(people.officer_a)
    return client


def answered(officer, minimal: int, language: str) -> int:
    made = start(officer, question_set_version_id=minimal, language=language)
    form = open_section(officer, made, "backups").set("a:backup-offline", "no")
    save(officer, made, "backups", form)
    return made


def test_a_dutch_assessment_asks_and_reports_in_dutch(officer, minimal, worker):
    fragments.forget_all()
    dutch, english = answered(officer, minimal, "nl"), answered(officer, minimal, "en")
    page = officer.get(section_url(dutch, "backups")).get_data(as_text=True)
    assert "Is er een offline back-up?" in page
    assert 'lang="nl"' in page
    assert "Is there an offline backup?" not in page
    assert "Is there an offline backup?" in officer.get(section_url(english, "backups")).get_data(
        as_text=True
    )
    results = officer.get(f"/assessments/{dutch}/results").get_data(as_text=True)
    assert "Geen offline back-up" in results
    assert "No offline backup" in officer.get(f"/assessments/{english}/results").get_data(
        as_text=True
    )
    plan = officer.get(f"/assessments/{dutch}/action-plan.csv").get_data(as_text=True)
    assert "Bewaar een offline back-up" in plan
    text = " ".join(pages_text(fetch_pdf(officer, f"/assessments/{dutch}/report.pdf")))
    assert "Geen offline back-up" in " ".join(text.split())
    english_text = " ".join(pages_text(fetch_pdf(officer, f"/assessments/{english}/report.pdf")))
    assert "No offline backup" in " ".join(english_text.split())


def test_changing_the_assessments_language_changes_its_questions(officer, minimal):
    made = answered(officer, minimal, "en")
    assert "Is there an offline backup?" in officer.get(section_url(made, "backups")).get_data(
        as_text=True
    )
    assert change(officer, made, "nl").status_code == 302
    assert "Is er een offline back-up?" in officer.get(section_url(made, "backups")).get_data(
        as_text=True
    )


def test_an_incomplete_translation_is_refused_with_its_lines_and_nothing_stored(app, minimal):
    with app.app_context():
        session = get_session()
        version = session.get(QuestionSetVersion, minimal)
        data = (FOLDER / "minimal.fr.yaml").read_bytes()
        with pytest.raises(TranslationIncomplete) as refused:
            set_translations.store_translation(session, version, data, "minimal.fr.yaml")
        lines = [str(p) for p in refused.value.translation.problems]
        assert "minimal.fr.yaml:11: question 'no-such-question' text: not a text of minimal" in (
            lines
        )
        stored = session.scalar(select(func.count()).where(QuestionSetTranslation.language == "fr"))
        assert stored == 0


def test_the_import_command_stores_the_translations_beside_a_set(app, tmp_path):
    for name in ("minimal.yaml", "minimal.nl.yaml", "minimal.fr.yaml"):
        (tmp_path / name).write_bytes((FOLDER / name).read_bytes())
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["questionnaire", "import", str(tmp_path / "minimal.yaml")])
    assert result.exit_code == 1  # the French one is incomplete
    assert "minimal.nl.yaml: translation into nl stored." in result.output
    assert "minimal.fr.yaml:11: question 'no-such-question' text: not a text of minimal" in (
        result.output
    )
    again = runner.invoke(cli, ["questionnaire", "import", str(tmp_path / "minimal.yaml")])
    assert "translation into nl already stored, unchanged." in again.output
    with app.app_context():
        stored = get_session().scalars(select(QuestionSetTranslation.language)).all()
    assert stored == ["nl"]


def test_administrators_see_which_translations_are_machine_drafted(
    app, people, minimal, make_client
):
    text = (FOLDER / "minimal.nl.yaml").read_text(encoding="utf-8")
    drafted = text.replace("language: nl\n", "language: de\nmachine_drafted: true\n")
    with app.app_context():
        session = get_session()
        version = session.get(QuestionSetVersion, minimal)
        set_translations.store_translation(session, version, drafted, "minimal.de.yaml")
    admin = make_client()
    admin.login(people.admin)
    page = admin.get("/admin/question-sets/").get_data(as_text=True)
    cell = re.search(r'<td class="translations">(.*?)</td>', page, re.S).group(1)
    assert re.search(r'lang="de">Deutsch</span> <span class="badge[^"]*">machine-drafted', cell)
    assert re.search(r'lang="nl">Nederlands</span></span>', cell)  # confirmed: no mark


# Editing a translation side by side with its base texts


def a_draft_with_an_edited_question(app, minimal: int) -> int:
    """A draft copied from the translated version, with one question's text changed."""
    with app.app_context():
        session = get_session()
        admin = session.scalar(select(User).where(User.role == "admin"))
        source = session.get(QuestionSetVersion, minimal)
        draft = drafts.copy_to_draft(session, admin, source)
        data = drafts.data_of(draft)
        section, question = edit.find_question(data, "backup-offline")
        question["text"] = "Is there an offline or immutable backup?"
        drafts.apply_edit(
            session,
            admin,
            draft,
            edit.put_question(section["id"], question, "backup-offline"),
            what="test",
        )
        return draft.id


def rows_by_state(page: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for state, label in re.findall(
        r'<tr class="translation-(\w+)"[^>]*>\s*<th scope="row">([^<]*)', page
    ):
        found.setdefault(state, []).append(html.unescape(label.strip()))
    return found


def test_a_changed_base_text_is_marked_to_review_until_its_translation_is_written(
    app, people, minimal, make_client
):
    draft = a_draft_with_an_edited_question(app, minimal)
    admin = make_client()
    admin.login(people.admin)
    first = admin.get(f"/admin/question-sets/{draft}/translations/nl").get_data(as_text=True)
    assert "1 text to review." in first  # the whole translation's count, on every part
    groups = re.findall(
        r'href="([^"]*group=([^"&]*))"[^>]*>([^<]*)</a>( <span class="badge)?', first
    )
    assert [html.unescape(label) for _u, _g, label, _b in groups][:2] == ["Question set", "Profile"]
    marked = [html.unescape(u) for u, _g, _label, badge in groups if badge]
    assert marked == [f"/admin/question-sets/{draft}/translations/nl?group=section:backups"]
    url = marked[0]
    page = admin.get(url).get_data(as_text=True)
    assert rows_by_state(page)["review"] == ["Question backup-offline › Text"]
    form = Form(page, "translation-form")
    number = next(
        n for n, key in form.fields if n.startswith("k-") and key == "questions/backup-offline/text"
    )
    form.set("t-" + number[2:], "Is er een offline of onveranderbare back-up?")
    assert admin.post(url, data=form.data()).status_code == 302
    page = admin.get(url).get_data(as_text=True)
    assert "review" not in rows_by_state(page)
    assert "Every text is translated and reviewed" in page
    with app.app_context():
        version = get_session().get(QuestionSetVersion, draft)
        editing = set_translations.editing(get_session(), version, "nl")
        assert editing.usable


def test_still_correct_reviews_a_text_without_changing_it(app, people, minimal, make_client):
    draft = a_draft_with_an_edited_question(app, minimal)
    admin = make_client()
    admin.login(people.admin)
    url = f"/admin/question-sets/{draft}/translations/nl?group=section:backups"
    page = admin.get(url).get_data(as_text=True)
    review = re.search(r'name="(r-\d+)"', page).group(1)  # the "Still correct" box
    admin.post(url, data=Form(page, "translation-form").set(review, "1").data())
    assert "review" not in rows_by_state(admin.get(url).get_data(as_text=True))


def test_two_administrators_saving_one_translation_the_second_is_told_and_loses_nothing_stored(
    app, people, minimal, make_client
):
    url = f"/admin/question-sets/{minimal}/translations/nl"
    first, second = make_client(), make_client()
    first.login(people.admin)
    second.login(people.admin)
    forms = [Form(c.get(url).get_data(as_text=True), "translation-form") for c in (first, second)]
    text_field = next(n for n, _value in forms[0].fields if n.startswith("t-"))
    forms[0].set(text_field, "Eerste")
    forms[1].set(text_field, "Tweede")
    assert first.post(url, data=forms[0].data()).status_code == 302
    refused = second.post(url, data=forms[1].data())
    assert refused.status_code == 409
    assert "nothing was saved" in refused.get_data(as_text=True)
    assert "Tweede" in refused.get_data(as_text=True)  # what they typed is still there
    assert "Eerste" in first.get(url).get_data(as_text=True)


def test_a_published_version_with_texts_to_review_is_shown_in_its_own_language_until_reviewed(
    app, people, minimal, officer, make_client
):
    draft = a_draft_with_an_edited_question(app, minimal)
    with app.app_context():
        session = get_session()
        admin = session.scalar(select(User).where(User.role == "admin"))
        drafts.publish(session, admin, session.get(QuestionSetVersion, draft))
    made = start(officer, question_set_version_id=draft, language="nl")
    page = officer.get(section_url(made, "backups")).get_data(as_text=True)
    assert "Is there an offline or immutable backup?" in page  # not half Dutch, half stale
    admin = make_client()
    admin.login(people.admin)
    url = f"/admin/question-sets/{draft}/translations/nl?group=section:backups"
    page = admin.get(url).get_data(as_text=True)
    review = re.search(r'name="(r-\d+)"', page).group(1)
    admin.post(url, data=Form(page, "translation-form").set(review, "1").data())
    page = officer.get(section_url(made, "backups")).get_data(as_text=True)
    assert "Is er een offline back-up?" in page


def test_a_language_with_no_translation_yet_lists_every_text_as_missing(
    app, people, minimal, make_client
):
    admin = make_client()
    admin.login(people.admin)
    url = f"/admin/question-sets/{minimal}/translations/fr"
    states = rows_by_state(admin.get(url + "?group=section:backups").get_data(as_text=True))
    assert set(states) == {"missing"}
    assert "Question backup-offline › Text" in states["missing"]
    scales = rows_by_state(admin.get(url + "?group=scales").get_data(as_text=True))
    assert "Scale ypn › Choice partly › Label" in scales["missing"]
    assert admin.get(url + "?group=nothing-like-this").status_code == 404
    assert admin.get(f"/admin/question-sets/{minimal}/translations/en").status_code == 404
    assert admin.get(f"/admin/question-sets/{minimal}/translations/xx").status_code == 404


def test_a_translation_replaced_by_an_import_is_not_saved_over_from_an_older_page(app, minimal):
    with app.app_context():
        session = get_session()
        version = session.get(QuestionSetVersion, minimal)
        admin = session.scalar(select(User).where(User.role == "admin"))
        opened = set_translations.editing(session, version, "nl").revision
        text = (FOLDER / "minimal.nl.yaml").read_text(encoding="utf-8")
        changed = text.replace("Minimale set", "De minimale set")
        row, stored = set_translations.store_translation(session, version, changed, "nl.yaml")
        assert stored
        assert row.revision == opened + 1
        with pytest.raises(set_translations.TranslationConflict):
            set_translations.save_texts(
                session, admin, version, "nl", {"set/title": "Mijn set"}, set(), opened
            )
        assert "De minimale set" in set_translations.editing(session, version, "nl").rows[0].text
