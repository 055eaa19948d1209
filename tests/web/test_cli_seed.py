"""``port-assess seed``: what it writes in bulk is what the services would have written."""

from __future__ import annotations

from sqlalchemy import func, select

from assessment import paths
from assessment.db import get_session
from assessment.models import AnswerRecord, Assessment, AuditEvent, Organisation
from assessment.questionset import AnswerStatus
from assessment.services import records
from assessment.services.question_sets import import_question_set

from .test_cli import run

PASSPHRASE = "harbour lights at dawn"


def import_baseline(app) -> None:
    baseline = paths.shipped_question_sets()[0]
    with app.app_context():
        import_question_set(get_session(), baseline.read_bytes(), baseline.name)


def test_seed_needs_the_baseline(app):
    result = run(app, "seed", "--organisations", "1")
    assert result.exit_code == 1
    assert "port-assess questionnaire import --shipped" in result.output


def test_seeded_assessments_are_fully_answered_and_read_as_the_services_write_them(app, client):
    import_baseline(app)
    result = run(
        app, "seed", "--organisations", "2", "--assessments", "3", "--password", PASSPHRASE
    )
    assert result.exit_code == 0, result.output
    assert "Seeded 2 organisations with 6 assessments" in result.output
    with app.app_context():
        session = get_session()
        seeded = session.scalars(select(Assessment).order_by(Assessment.id)).all()
        assert [a.status for a in seeded] == ["completed", "completed", "in_progress"] * 2
        for assessment in seeded:
            stored = dict(assessment.standing)
            assessment.standing = None  # what the services compute from the answers alone
            question_set = records.question_set_of(assessment.question_set_version)
            found = records.records_of(session, assessment)
            _result, computed = records.compute_standing(question_set, found)
            assert stored["answered"] == computed.answered == computed.applicable > 100
            assert {k: v for k, v in stored.items() if k in computed.to_data()} == (
                computed.to_data()
            )
            assert len(records.answers_of(question_set, found)) == len(found)  # all parse
            session.expire(assessment)
        statuses = set(session.scalars(select(AnswerRecord.status).distinct()))
        assert statuses <= {AnswerStatus.ANSWERED, AnswerStatus.NOT_APPLICABLE}
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor_email != "system")
        ).all()
        assert sorted(set(actions)) == ["assessment.complete", "assessment.start"]
        created = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action.in_(["organisation.create", "user.create"])
            )
        )
        assert (len(actions), created) == (2 * (3 + 2), 2 * 2)  # by the officers; by "system"
    again = run(app, "seed", "--organisations", "1", "--assessments", "0", "--password", PASSPHRASE)
    assert again.exit_code == 0, again.output
    with app.app_context():
        names = get_session().scalars(select(Organisation.name).order_by(Organisation.id)).all()
    assert names == ["Seeded port 00001", "Seeded port 00002", "Seeded port 00003"]

    assert client.login("officer00002@seeded-port.example", PASSPHRASE).status_code == 302
    listing = client.get("/assessments/").get_data(as_text=True)
    assert listing.count("Annual assessment") == 3
    assert "Seeded port 00001" not in listing


def test_seed_refuses_a_weak_password(app):
    import_baseline(app)
    result = run(app, "seed", "--organisations", "1", "--password", "short")
    assert result.exit_code == 1
    assert "--password:" in result.output
