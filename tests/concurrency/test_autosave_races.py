"""Many officers saving one assessment at the same time, through the real autosave endpoint.

Each save carries a comment no other carries, so afterwards the database shows whether every
save the server accepted is really there: no two accepted saves started from the same
revision, each accepted save raised the answer's revision by one, the stored answer is the last
one accepted, and the assessment's revision rose once per accepted save.
"""

from __future__ import annotations

import pytest

from ..conftest import PASSWORD
from ..load import Writer, check_integrity, run_writers, stored_revisions

SAVES_EACH = 12


@pytest.fixture(params=["unanswered", "answered"])
def first_state(request, app, people, shared_assessment) -> int:
    """The question's revision before the writers start: no answer yet (the first saves race
    to create it), or an answer already stored (every save races to update it)."""
    if request.param == "unanswered":
        return 0
    from assessment.db import get_session
    from assessment.services import answers, assessments
    from assessment.services.users import find_by_email

    with app.app_context():
        session = get_session()
        officer = find_by_email(session, people.officer_a)
        assessment = assessments.get_assessment(session, officer, shared_assessment)
        answers.save_answers(session, officer, assessment, [answers.AnswerInput("q01", "no")])
    return 1


def test_many_writers_on_one_question_lose_no_accepted_save(
    server, database_url, officers, shared_assessment, first_state
):
    writers = [Writer(email, PASSWORD, ("q01",)) for email in officers for _ in range(2)]
    before = stored_revisions(database_url, shared_assessment)

    run = run_writers(server, writers, shared_assessment, "controls", saves=SAVES_EACH)

    assert run.errors == []
    assert run.accepted, "no save was accepted"
    assert run.conflicts, "twelve writers on one question never conflicted: not concurrent"
    assert len(run.accepted) + run.conflicts == len(writers) * SAVES_EACH
    integrity = check_integrity(database_url, shared_assessment, run, before)
    assert integrity.exact, integrity
    revisions = sorted(save.revision for save in run.accepted)
    assert revisions == list(range(first_state + 1, first_state + len(run.accepted) + 1))
    assert all(save.revision == save.base + 1 for save in run.accepted)


def test_many_writers_on_different_questions_all_succeed_and_count_exactly(
    server, database_url, officers, shared_assessment
):
    questions = [f"q{n:02d}" for n in range(1, 13)]
    writers = [
        Writer(officers[i % len(officers)], PASSWORD, (question,))
        for i, question in enumerate(questions)
    ]
    before = stored_revisions(database_url, shared_assessment)

    run = run_writers(server, writers, shared_assessment, "controls", saves=SAVES_EACH)

    assert run.errors == []
    assert run.conflicts == 0
    assert len(run.accepted) == len(writers) * SAVES_EACH
    integrity = check_integrity(database_url, shared_assessment, run, before)
    assert integrity.exact, integrity
    after = stored_revisions(database_url, shared_assessment)
    assert after.assessment == before.assessment + len(run.accepted)
