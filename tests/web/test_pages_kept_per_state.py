"""Beyond the questions, the assessment pages keep their head, their list of sections, the
results page's body and each row of the assessment list per state (``web/common/fragments``).
Whatever is kept must show exactly what drawing afresh would: a renamed assessment,
organisation or colleague at once, a new answer at once, each language its own words."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from assessment.db import get_session
from assessment.models import Assessment, Organisation, User
from assessment.web.common import fragments

from .test_assessments import open_section, save, section_url, start

# Nothing kept before each test (the same autouse fixture).
from .test_question_html_kept_per_state import (  # noqa: F401 - a fixture
    nothing_kept,
    rename_person,
    set_language,
    without_csrf,
)


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def kept(kind: str) -> int:
    return sum(1 for key in fragments.FRAGMENTS.entries if key[1] == kind)


def rename(app, model, where, **values) -> None:
    with app.app_context():
        session = get_session()
        session.execute(update(model).where(where).values(**values))
        session.commit()


def test_the_results_page_is_drawn_once_per_state(officer):
    assessment_id = start(officer)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "no"))
    results = f"/assessments/{assessment_id}/results"
    officer.get(results)  # shows the save's message, once
    first = without_csrf(officer.get(results).get_data(as_text=True))
    assert kept("results") == 1
    assert without_csrf(officer.get(results).get_data(as_text=True)) == first
    assert kept("results") == 1  # the reload drew nothing new
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "yes"))
    assert "W-a1" not in officer.get(results).get_data(as_text=True)
    assert kept("results") == 2


def test_a_renamed_assessment_organisation_or_colleague_shows_at_once(
    app, officer, colleague, make_client, people
):
    assessment_id = start(officer, title="Gate review")
    other = make_client()
    other.login(colleague)
    save(other, assessment_id, "a", open_section(other, assessment_id, "a").set("a:a1", "yes"))
    for path in (section_url(assessment_id, "a"), "/assessments/"):
        officer.get(path)
    rename(app, Assessment, Assessment.id == assessment_id, title="Quay review")
    rename(app, Organisation, Organisation.id == people.org_a, name="Port of Elsewhere")
    rename_person(app, colleague, "C. Berg")
    section = officer.get(section_url(assessment_id, "a")).get_data(as_text=True)
    assert "Quay review" in section
    assert "Port of Elsewhere" in section
    assert "Gate review" not in section
    listing = officer.get("/assessments/").get_data(as_text=True)
    assert "Quay review" in listing
    assert "by C. Berg" in listing
    assert "Colleague A" not in listing


def test_kept_pages_are_the_pages_drawn_afresh(
    app, officer, people, colleague, make_client, monkeypatch
):
    """The same visits (two assessments, one completed and then compared with; two people;
    an administrator's list with its organisation column; two languages) give the same pages
    with keeping as with every part drawn afresh."""
    first, second = start(officer, title="First"), start(officer, title="Second")
    save(officer, first, "a", open_section(officer, first, "a").set("a:a1", "no"))
    save(officer, second, "a", open_section(officer, second, "a").set("a:a1", "yes"))
    officer.submit(f"/assessments/{second}/complete")
    other = make_client()
    other.login(colleague)
    admin = make_client()
    admin.login(people.admin)
    paths = ["/assessments/"]
    for assessment_id in (first, second):
        paths += [f"/assessments/{assessment_id}/results", section_url(assessment_id, "a")]
        paths += [f"/assessments/{assessment_id}/review"]
    visits = [(person, path) for person in (officer, other) for path in paths]
    visits.append((admin, "/assessments/"))
    for person, path in visits:  # the flash messages, shown and gone
        person.get(path)

    def tour() -> list[str]:
        drawn = []
        for language in ("en", "fr"):
            for email in (people.officer_a, colleague):
                set_language(app, email, first, language)
                set_language(app, email, second, language)
            for person, path in visits:
                response = person.get(path)
                assert response.status_code == 200, path
                drawn.append(without_csrf(response.get_data(as_text=True)))
        return drawn

    kept_pages = tour()
    assert kept("layout")
    assert kept("results")
    assert kept("list row")
    monkeypatch.setattr(fragments, "cached", lambda key, render, store=None: render())
    assert tour() == kept_pages


def test_the_administrators_lists_keep_rows_that_follow_every_change(
    app, people, colleague, make_client, monkeypatch
):
    """Organisation and user rows are kept; a rename, a deactivation, a new user or sharing
    switched on shows at once, and the kept pages are the pages drawn afresh (in two
    languages, and the administrator's own row without its Deactivate link)."""
    admin = make_client()
    admin.login(people.admin)
    lists = ["/admin/organisations", "/admin/users"]
    for path in lists:
        admin.get(path)
    assert kept("organisation row")
    assert kept("user row")
    rename(app, Organisation, Organisation.id == people.org_a, name="Port of Elsewhere")
    rename(app, Organisation, Organisation.id == people.org_b, share_with_sector=True)
    rename_person(app, colleague, "C. Berg")
    rename(app, User, User.email == people.officer_b, active=False)
    organisations = admin.get("/admin/organisations").get_data(as_text=True)
    assert "Port of Elsewhere" in organisations
    assert "Sector sharing: on" in organisations
    users = admin.get("/admin/users").get_data(as_text=True)
    assert "C. Berg" in users
    assert "Reactivate " + people.officer_b in users

    def tour() -> list[str]:
        drawn = []
        for language in ("en", "de"):
            rename(app, User, User.email == people.admin, language=language)
            for path in lists:
                drawn.append(without_csrf(admin.get(path).get_data(as_text=True)))
        return drawn

    kept_pages = tour()
    monkeypatch.setattr(fragments, "cached", lambda key, render, store=None: render())
    assert tour() == kept_pages
