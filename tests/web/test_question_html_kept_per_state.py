"""The section page keeps each question's drawn HTML per state (``web/common/fragments``) and
the results page its view per result: what is kept must never show an old answer, another
language's words, unescaped text or one person's CSRF token to another."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from assessment import i18n
from assessment.db import get_session
from assessment.models import AnswerRecord, Assessment, User
from assessment.report.filters import when
from assessment.services import records, users
from assessment.web.assessments import pages
from assessment.web.assessments.answer_form import QuestionState
from assessment.web.common import fragments

from ..conftest import CSRF_INPUT, DATA_DIR, import_question_set
from ..forms import Form
from .test_assessments import open_section, save, section_url, start


@pytest.fixture(autouse=True)
def nothing_kept():
    """Each test starts with nothing kept, so what it counts is its own."""
    fragments.forget_all()
    yield
    fragments.forget_all()


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def kept_html() -> list[str]:
    return list(fragments.FRAGMENTS.entries.values())


def kept_questions() -> int:
    return sum(1 for key in fragments.FRAGMENTS.entries if key[1] == "question")


def without_csrf(page: str) -> str:
    return CSRF_INPUT.sub("", page)


def test_a_reload_draws_no_question_again(officer):
    assessment_id = start(officer)
    officer.get(section_url(assessment_id, "a"))  # shows, and so ends, the "started" message
    first = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    kept = len(fragments.FRAGMENTS.entries)
    assert kept_questions() == 2  # the section's two questions
    second = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    assert len(fragments.FRAGMENTS.entries) == kept
    assert without_csrf(second) == without_csrf(first)


def test_a_colleagues_change_shows_on_the_next_load(officer, colleague, make_client):
    assessment_id = start(officer)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "yes"))
    before = open_section(officer, assessment_id, "a")  # kept, with "Yes" ticked
    assert before.get("a:a1") == ["yes"]

    other = make_client()
    other.login(colleague)
    theirs = open_section(other, assessment_id, "a")
    save(other, assessment_id, "a", theirs.set("a:a1", "no").set("c:a1", "Gate 3 has no PIN."))

    page = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    after = Form(page, "section-form")
    assert after.get("a:a1") == ["no"]
    assert after.get("c:a1") == ["Gate 3 has no PIN."]
    assert after.get("v:a1") == ["2"]  # the next save starts from the colleague's revision
    assert "Last changed by Colleague A" in page


def test_a_new_name_of_whoever_changed_an_answer_shows_at_once(
    app, officer, colleague, make_client
):
    """The same answer at the same revision, but its author renamed: drawn again."""
    assessment_id = start(officer)
    other = make_client()
    other.login(colleague)
    save(other, assessment_id, "a", open_section(other, assessment_id, "a").set("a:a1", "yes"))
    assert "Last changed by Colleague A" in officer.get(section_url(assessment_id, "a")).get_data(
        as_text=True
    )
    rename_person(app, colleague, "C. Berg")
    page = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    assert "Last changed by C. Berg" in page
    assert "Colleague A" not in page


def rename_person(app, email: str, name: str) -> None:
    """A new display name, as an administrator gives it (the only way names change)."""
    with app.app_context():
        session = get_session()
        person = session.scalar(select(User).where(User.email == email))
        admin = session.scalar(select(User).where(User.role == "admin"))
        data = users.UserData(person.email, name, person.role, person.organisation_id)
        users.update_user(session, admin, person, data)


def set_language(app, email: str, assessment_id: int, language: str) -> None:
    """The person's choice and the assessment's own language both, so the page is in
    ``language`` whichever of the two decides it."""
    with app.app_context():
        session = get_session()
        session.execute(update(User).where(User.email == email).values(language=language))
        session.execute(
            update(Assessment).where(Assessment.id == assessment_id).values(language=language)
        )
        session.commit()


def changed_at(app, assessment_id: int, question_id: str) -> datetime:
    with app.app_context():
        return get_session().scalar(
            select(AnswerRecord.updated_at).where(
                AnswerRecord.assessment_id == assessment_id,
                AnswerRecord.question_id == question_id,
            )
        )


def moment_in(app, language: str, value: datetime) -> str:
    with app.test_request_context(), i18n.force_language(language):
        return when(value)


def test_each_language_draws_its_own_questions(app, officer, people):
    assessment_id = start(officer)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "yes"))
    moment = changed_at(app, assessment_id, "a1")
    english, dutch = moment_in(app, "en", moment), moment_in(app, "nl", moment)
    assert english != dutch  # the changed-by line tells the languages apart

    officer.get(section_url(assessment_id, "a"))  # ends the "saved" message
    pages_in = {}
    for language in ("en", "nl", "en"):
        set_language(app, people.officer_a, assessment_id, language)
        page = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
        assert f'<html lang="{language}">' in page
        pages_in.setdefault(language, []).append(page)
    assert english in pages_in["en"][0]
    assert dutch in pages_in["nl"][0]
    assert english not in pages_in["nl"][0]
    assert without_csrf(pages_in["en"][1]) == without_csrf(pages_in["en"][0])
    assert {key[0] for key in fragments.FRAGMENTS.entries} == {"en", "nl"}


def script_copy(directory: Path) -> Path:
    """The scoring set with markup in a question's text and help."""
    text = (Path(DATA_DIR) / "scoring.yaml").read_text(encoding="utf-8")
    text = text.replace("text: A1?", "text: \"A1 <script>alert('question')</script>?\"", 1)
    text = text.replace("id: scoring\n", "id: scoring-markup\n", 1)
    path = directory / "scoring-markup.yaml"
    path.write_text(text, "utf-8")
    return path


def test_question_and_answer_texts_stay_escaped_when_kept(app, client, people, tmp_path):
    import_question_set(app, str(script_copy(tmp_path)))
    client.login(people.officer_a)
    assessment_id = start(client)
    form = open_section(client, assessment_id, "a")
    save(
        client, assessment_id, "a", form.set("a:a1", "yes").set("c:a1", "<script>alert(1)</script>")
    )

    for _ in range(2):  # drawn, then served as kept
        page = client.get(section_url(assessment_id, "a")).get_data(as_text=True)
        assert "&lt;script&gt;alert(&#39;question&#39;)&lt;/script&gt;" in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert" not in page
    assert any("&lt;script&gt;alert(1)" in html for html in kept_html())


def test_kept_questions_hold_no_csrf_token(officer, colleague, make_client):
    assessment_id = start(officer)
    other = make_client()
    other.login(colleague)
    tokens = set()
    for person in (officer, other):
        page = person.get(section_url(assessment_id, "a")).get_data(as_text=True)
        tokens.add(CSRF_INPUT.search(page).group(1))
    assert len(tokens) == 2  # one each, though the questions were drawn once
    assert kept_questions() == 2
    for html in kept_html():
        assert "csrf" not in html
        assert not any(token in html for token in tokens)


def test_a_save_with_a_problem_is_drawn_with_it_and_the_next_load_without(officer):
    assessment_id = start(officer)
    form = open_section(officer, assessment_id, "a").set("a:a2", "3", "4")  # two levels
    response = save(officer, assessment_id, "a", form)
    assert response.status_code == 422
    assert re.search(r'id="problem-a2"[^>]*>Choose one answer.<', response.get_data(as_text=True))
    page = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    assert 'id="problem-a2"' not in page
    assert not any("problem-a2" in html for html in kept_html())


def test_kept_html_is_the_html_drawn_afresh(
    app, officer, people, colleague, make_client, monkeypatch
):
    """Whatever a kept macro reads must be in its key. The same visits, in contexts that share
    fragments (two assessments, two people, a read-only one, two languages), give the same
    pages with keeping as with every part drawn afresh."""
    first, second = start(officer, title="First"), start(officer, title="Second")
    form = open_section(officer, first, "a").set("a:a1", "no").set("c:a1", "Gate 3 is open.")
    save(officer, first, "a", form)
    officer.submit(f"/assessments/{second}/complete")
    other = make_client()
    other.login(colleague)
    visits = [(officer, first, "a"), (officer, second, "a"), (officer, first, "b")]
    visits += [(officer, second, "b"), (other, first, "a"), (other, second, "a")]
    for person, assessment_id, section in visits:  # the flash messages, shown and gone
        person.get(section_url(assessment_id, section))

    def tour() -> list[str]:
        drawn = []
        for language in ("en", "nl"):
            for email in (people.officer_a, colleague):
                set_language(app, email, first, language)
                set_language(app, email, second, language)
            for person, assessment_id, section in visits:
                page = person.get(section_url(assessment_id, section)).get_data(as_text=True)
                drawn.append(without_csrf(page))
        return drawn

    kept = tour()
    questions = [key for key in fragments.FRAGMENTS.entries if key[1] == "question"]
    assert len(questions) < 4 * len(visits)  # question fragments were shared
    assert any(key[1] == "layout" for key in fragments.FRAGMENTS.entries)
    monkeypatch.setattr(fragments, "cached", lambda key, render, store=None: render())
    assert tour() == kept


def test_every_field_of_a_question_state_is_in_its_key():
    base = QuestionState()
    changed = {
        "selected": ["yes"],
        "text": "12",
        "specials": ["dont_know"],
        "comment": "c",
        "evidence": "e",
        "checked": "2026-01-31",
        "marked": True,
        "needs_recheck": True,
        "revision": 3,
        "fingerprint": "abc",
        "changed_by": "Colleague A",
        "changed_at": datetime(2026, 1, 31, 12, 0),
    }
    assert set(changed) == {f.name for f in dataclasses.fields(QuestionState)}
    for name, value in changed.items():
        assert dataclasses.replace(base, **{name: value}).key() != base.key(), name
    hash(dataclasses.replace(base, **changed).key())


def test_the_results_view_is_kept_per_result_and_language(app, officer):
    assessment_id = start(officer)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "no"))
    with app.test_request_context():
        session = get_session()
        assessment = session.get(Assessment, assessment_id)
        page = pages.Page.load(session, assessment)
        with i18n.force_language("en"):
            english = pages.results_context(page)["view"]
            assert pages.results_context(page)["view"] is english
        with i18n.force_language("fr"):
            assert pages.results_context(page)["view"] is not english
        records.RESULTS.entries.clear()  # a new state is a new result object
        with i18n.force_language("en"):
            assert pages.results_context(page)["view"] is not english


def test_the_results_page_follows_a_changed_answer(officer):
    assessment_id = start(officer)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "no"))
    results = f"/assessments/{assessment_id}/results"
    assert "W-a1" in officer.get(results).get_data(as_text=True)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "yes"))
    assert "W-a1" not in officer.get(results).get_data(as_text=True)
