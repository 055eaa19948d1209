"""Moving an assessment to a newer version of its question set keeps every answer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import delete, select

from assessment import paths
from assessment.db import get_session
from assessment.models import (
    AnswerRecord,
    Assessment,
    AssessmentMove,
    AuditEvent,
    QuestionSetVersion,
    User,
)
from assessment.questionset import editing as edit
from assessment.questionset import load_question_set
from assessment.questionset.yaml_io import dump_yaml
from assessment.services import drafts

from ..conftest import fetch_pdf, import_question_set
from ..report.conftest import pages_text
from ..strategies import question_sets
from .test_assessments import open_section, save, start


def publish_next_version(app, changes_of) -> int:
    """Version 2 of the scoring set, made as an administrator makes it: version 1 copied to a
    draft, the editor's changes ``changes_of(data)`` gives applied one by one, then published.
    Returns the new version's id."""
    with app.app_context():
        session = get_session()
        admin = session.scalar(select(User).where(User.role == "admin"))
        v1 = session.scalar(select(QuestionSetVersion).where(QuestionSetVersion.version == 1))
        draft = drafts.copy_to_draft(session, admin, v1)
        for change in changes_of(drafts.data_of(draft)):
            drafts.apply_edit(session, admin, draft, change, what="test")
        return drafts.publish(session, admin, draft).id


def publish_v2(app) -> int:
    """Version 2 of the scoring set: b2 removed, a1's 'partly' gone, a new question a3."""

    def changes(data):
        _, a1 = edit.find_question(data, "a1")
        a1["choices"] = [c for c in a1["choices"] if c["id"] != "partly"]
        new = {"id": "a3", "type": "text", "text": "A3, new?"}
        return [
            edit.remove_question("b2"),
            edit.put_question("a", a1, "a1"),
            edit.put_question("a", new, None),
        ]

    return publish_next_version(app, changes)


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


@pytest.fixture
def answered(officer):
    assessment_id = start(officer)
    save(
        officer,
        assessment_id,
        "a",
        open_section(officer, assessment_id, "a")
        .set("a:a1", "partly")
        .set("c:a1", "Lane 3 still on PINs.")
        .set("a:a2", "2"),
    )
    save(officer, assessment_id, "b", open_section(officer, assessment_id, "b").set("a:b2", "14"))
    return assessment_id


def test_the_summary_says_what_carries_over_before_anything_changes(app, officer, answered):
    version_2 = publish_v2(app)
    page = officer.get(f"/assessments/{answered}/move").get_data(as_text=True)
    assert "<strong>1</strong> answer carried over" in page  # a2
    assert "<strong>1</strong> new question to answer: a3" in page
    assert "old answer no longer fits; they are asked again: a1" in page
    assert (
        "no longer in the new version; the answers are kept, read-only, in this "
        "assessment's history: b2" in page
    )
    with app.app_context():
        assert get_session().get(Assessment, answered).question_set_version_id != version_2


def test_moving_keeps_every_answer_and_the_old_report(app, officer, answered):
    version_2 = publish_v2(app)
    response = officer.submit(f"/assessments/{answered}/move", {"version": str(version_2)})
    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        assert session.get(Assessment, answered).question_set_version_id == version_2
        records = {
            r.question_id: r
            for r in session.scalars(
                select(AnswerRecord).where(AnswerRecord.assessment_id == answered)
            )
        }
        assert {"a1", "a2", "b2"} <= set(records)  # nothing deleted
        assert records["a1"].comment == "Lane 3 still on PINs."
        assert (
            session.scalar(
                select(AuditEvent).where(AuditEvent.action == "assessment.move")
            ).details["kept_removed"]
            == 1
        )
    review = officer.get(f"/assessments/{answered}/review?show=unanswered").get_data(as_text=True)
    assert "A1?" in review  # asked again
    assert "A3, new?" not in review  # free text is not counted as unanswered
    history = officer.get(f"/assessments/{answered}/move").get_data(as_text=True)
    assert "moved from version 1 to 2" in history


@pytest.mark.slow
def test_the_report_of_the_old_version_can_be_made_again(app, officer, answered, worker):
    version_2 = publish_v2(app)
    officer.submit(f"/assessments/{answered}/move", {"version": str(version_2)})
    with app.app_context():
        move_id = get_session().scalar(select(AssessmentMove.id))
    pdf = fetch_pdf(officer, f"/assessments/{answered}/history/{move_id}/report.pdf")
    text = " ".join(pages_text(pdf))
    assert "Lane 3 still on PINs." in text
    assert "as it was on version 1" in text
    assert "Partly" in text


def test_another_organisation_cannot_move_or_read_the_history(
    app, officer, answered, people, make_client
):
    version_2 = publish_v2(app)
    intruder = make_client()
    intruder.login(people.officer_b)
    assert intruder.get(f"/assessments/{answered}/move").status_code == 404
    token = intruder.csrf_token("/account/password")
    assert (
        intruder.post(
            f"/assessments/{answered}/move", data={"version": str(version_2), "csrf_token": token}
        ).status_code
        == 404
    )
    with app.app_context():
        assert get_session().get(Assessment, answered).question_set_version_id != version_2


def test_a_completed_assessment_must_be_reopened_first(app, officer, answered):
    version_2 = publish_v2(app)
    officer.submit(f"/assessments/{answered}/complete")
    page = officer.get(f"/assessments/{answered}/move").get_data(as_text=True)
    assert "reopen it first" in page
    officer.submit(
        f"/assessments/{answered}/move",
        {"version": str(version_2)},
        form_page=f"/assessments/{answered}/review",
    )
    with app.app_context():
        assert get_session().get(Assessment, answered).question_set_version_id != version_2


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=question_sets())
def test_export_then_import_gives_an_equal_set(app, people, data):
    """Through the real service and database: import a file as a draft, publish it, export
    it, and read it back: the same question set."""
    with app.app_context():
        session = get_session()
        admin = session.scalar(select(User).where(User.role == "admin"))
        draft = drafts.import_file(
            session, admin, dump_yaml(data).encode(), "random.yaml", as_draft=True
        )
        published = drafts.publish(session, admin, draft)
        exported = drafts.export_text(published)
        original = load_question_set(dump_yaml(data), "original")
        again = load_question_set(exported, "exported")
        assert again.to_data() == original.to_data() | {"version": published.version}
        session.execute(delete(QuestionSetVersion).where(QuestionSetVersion.set_id == data["id"]))
        session.commit()


def test_the_review_page_offers_the_newer_version(app, officer, answered):
    assert "Move to version" not in officer.get(f"/assessments/{answered}/review").get_data(
        as_text=True
    )
    publish_v2(app)
    review = officer.get(f"/assessments/{answered}/review").get_data(as_text=True)
    assert f'href="/assessments/{answered}/move">Move to version 2 of the question set' in review


def test_the_newer_version_offered_is_of_the_assessments_own_set(app, officer, answered):
    """Other sets' versions (here the shipped baseline's, numbered higher) are never offered,
    on any of the assessment's pages; the notice names its own set's newest version."""
    for name in ("port-cyber-baseline.yaml", "marina-quick-check.yaml"):  # both version 2
        import_question_set(app, str(paths.questionnaires_dir() / name))
    pages = [f"/assessments/{answered}/review", f"/assessments/{answered}/sections/a"]
    for page in pages:
        html = officer.get(page).get_data(as_text=True)
        assert "Move to version" not in html
        assert "of this question set is published" not in html
    publish_v2(app)
    for page in pages:
        assert "Version 2 of this question set is published." in officer.get(page).get_data(
            as_text=True
        )


def test_the_shipped_baseline_moves_from_version_1_to_2_keeping_every_answer(app, people):
    """An assessment answered throughout on baseline 1 moves to baseline 2: every answer is
    still stored afterwards, those whose question kept its id and meaning carry over, and the
    old version's report can still be made from the snapshot."""
    from assessment import paths
    from assessment.scoring.samples import sample_answers
    from assessment.services import answers, assessments, moves
    from assessment.services.question_sets import import_question_set
    from assessment.services.users import find_by_email

    folder = paths.questionnaires_dir()
    with app.app_context():
        session = get_session()
        v1 = import_question_set(
            session,
            (folder / "archive" / "port-cyber-baseline-v1.yaml").read_bytes(),
            "port-cyber-baseline-v1.yaml",
        ).version
        v2 = import_question_set(
            session,
            (folder / "port-cyber-baseline.yaml").read_bytes(),
            "port-cyber-baseline.yaml",
        ).version
        officer = find_by_email(session, people.officer_a)
        assessment = assessments.start_assessment(session, officer, "2026", "", v1.id)
        sample = sample_answers(assessments.question_set_of(v1), "mixed")
        answers.save_answers(
            session,
            officer,
            assessment,
            [answers.AnswerInput(q, answers.storable(a), "why") for q, a in sample.items()],
        )
        before = {
            r.question_id: (r.status, r.value)
            for r in assessments.records_of(session, assessment).values()
        }
        plan = moves.plan_move(session, assessment, v2)
        moves.move_to_version(session, officer, assessment, v2)
        after = {
            r.question_id: (r.status, r.value)
            for r in assessments.records_of(session, assessment, fresh=True).values()
        }
        v2_set = assessments.question_set_of(v2)
    assert after == before  # nothing deleted or changed by the move
    assert len(plan.carried) + len(plan.refit) + len(plan.removed) == len(before)
    kept = {q.id for q in v2_set.questions()}
    assert set(plan.removed) == set(before) - kept
    assert len(plan.carried) >= 60, plan  # most of version 1's questions kept their meaning
    assert plan.new, "version 2 adds questions"
