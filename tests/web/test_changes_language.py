"""What changed between two versions is said in the page's language: a Dutch officer moving
an assessment in Dutch reads the differences in Dutch, not only the page around them; the
question set's own texts stay as written."""

from __future__ import annotations

import pytest

from assessment.questionset import editing as edit

from .test_assessments import open_section, save, start
from .test_moves import publish_next_version

A1_NEW = "A1: zijn alle back-ups getest?"


def publish_v2(app) -> int:
    """Version 2 of the scoring set: a1 reworded with a choice added, a2's level 3 renamed and
    its "don't know" no longer offered, b2's bands moved."""

    def changes(data):
        a, a1 = edit.find_question(data, "a1")
        a1["text"] = A1_NEW
        a1["choices"].insert(1, {"id": "mostly", "label": "Mostly", "score": 0.75})
        _, a2 = edit.find_question(data, "a2")
        a2["levels"][3]["label"] = "Managed"
        a2["dont_know"] = False
        b, b2 = edit.find_question(data, "b2")
        b2["thresholds"][1]["value"] = 14
        return [edit.put_question(s["id"], q, q["id"]) for s, q in ((a, a1), (a, a2), (b, b2))]

    return publish_next_version(app, changes)


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def change_of(page: str, question_id: str) -> str:
    return page[page.index(f'id="change-{question_id}"') :].split("</article>")[0]


def test_a_dutch_officer_reads_the_differences_in_dutch(app, officer):
    assessment_id = start(officer, language="nl")
    form = open_section(officer, assessment_id, "a").set("a:a1", "yes").set("a:a2", "2")
    assert save(officer, assessment_id, "a", form).status_code == 302
    publish_v2(app)
    page = officer.get(f"/assessments/{assessment_id}/move").get_data(as_text=True)
    assert '<html lang="nl"' in page

    a1 = change_of(page, "a1")
    assert '<th scope="row">Vraag</th>' in a1
    assert f"<ins>{A1_NEW}</ins>" in a1  # the set's own text, as written
    assert "Keuze &#39;mostly&#39;" in a1
    assert "“Mostly”, score 0,75" in a1
    assert "Choice" not in a1
    assert "Uw antwoord is overgenomen en gemarkeerd als “opnieuw te controleren”." in a1

    a2 = change_of(page, "a2")
    assert "Niveau 3" in a2
    assert "“Weet ik niet” aangeboden" in a2
    assert "<del>ja</del>" in a2
    assert "<ins>nee</ins>" in a2
    assert "Level 3" not in a2
    assert "Offers" not in a2

    b2 = change_of(page, "b2")
    assert "Scoreklassen" in b2
    assert "≤ 14 scoort 0,5; anders 0,1" in b2
    assert "Score bands" not in b2
    assert "otherwise" not in b2


def test_an_english_officer_reads_them_as_before(app, officer):
    assessment_id = start(officer, language="en")
    publish_v2(app)
    page = officer.get(f"/assessments/{assessment_id}/move").get_data(as_text=True)
    a2 = change_of(page, "a2")
    assert "Level 3" in a2
    assert "Offers “Don&#39;t know”" in a2  # our words, escaped like every other text
    assert "<del>yes</del>" in a2
    assert "<ins>no</ins>" in a2
    assert "≤ 14 scores 0.5; otherwise 0.1" in change_of(page, "b2")
