"""Where the score appears, the open critical weaknesses that cap the level appear beside it:
the results page headline, the assessment list, the PDF's cover and executive summary."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assessment import paths
from assessment.db import get_session
from assessment.models import User
from assessment.services import answers as answer_service
from assessment.services.assessments import start_assessment

from ..conftest import fetch_pdf, import_question_set
from ..report.conftest import pages_text
from ..unit.test_verdict import QS, THREE_GAPS, answers_best_except

TITLES = [QS.question(q).weakness.title.rstrip(".") for q in THREE_GAPS]


@pytest.fixture
def three_gaps(app, people, client):
    """An assessment of the default set, every answer at its best but the three critical gaps."""
    version_id = import_question_set(
        app, str(paths.questionnaires_dir() / "port-cyber-baseline.yaml")
    )
    with app.app_context():
        session = get_session()
        officer = session.scalar(select(User).where(User.email == people.officer_a))
        assessment = start_assessment(session, officer, "Annual check", "Whole port", version_id)
        inputs = [
            answer_service.AnswerInput(question_id, answer_service.storable(answer))
            for question_id, answer in answers_best_except(*THREE_GAPS).items()
        ]
        answer_service.save_answers(session, officer, assessment, inputs)
        assessment_id = assessment.id
    client.login(people.officer_a)
    return assessment_id


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_results_headline_names_the_open_critical_weaknesses(client, three_gaps):
    page = text_of(client.get(f"/assessments/{three_gaps}/results").get_data(as_text=True))
    assert "96 / 100 Overall score, level 2 “Exposed” 3 critical and 0 high" in page
    assert "Level 2 “Exposed”: 3 critical weaknesses are open" in page
    assert "the score alone would give level 5" in page
    for title in TITLES:
        assert title in page
    # The plan says what each mitigation closes, and how much of the open priority that is.
    assert (
        "Closes (33% of the open priority): Attackers can try your remote desktop and admin "
        "logins from the internet" in page
    )
    assert "Supports: Containers can be released to whoever holds the code" in page
    listing = text_of(client.get("/assessments/").get_data(as_text=True))
    assert "level 2 “Exposed” 3 critical, 0 high open" in listing


@pytest.mark.slow
def test_the_pdf_cover_and_summary_name_them_too(client, three_gaps, worker):
    pages = pages_text(fetch_pdf(client, f"/assessments/{three_gaps}/report.pdf"))
    text = " ".join(" ".join(pages).split())
    assert "Level 2 “Exposed”" in text or "2 Exposed" in text
    assert "level is at most 2 whatever the average" in text
    assert "Closes (33% of the open priority)" in text
    summary = " ".join(pages[1].split()) + " " + " ".join(pages[2].split())
    for title in TITLES:
        assert title in summary
