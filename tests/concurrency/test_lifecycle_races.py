"""Every other check-then-write, raced: two requests that both see the same state may not
both act on it. HTTP where a page does it; otherwise threads with a database session each."""

from __future__ import annotations

from sqlalchemy import func, select

from assessment.db import get_session
from assessment.models import (
    AssessmentMove,
    AuditEvent,
    Organisation,
    QuestionSetVersion,
    Report,
    User,
)
from assessment.services import assessments, drafts, moves, organisations, users
from assessment.services.users import find_by_email

from ..conftest import PASSWORD
from ..http_client import WebClient
from ..load import simultaneously


def _in_own_session(app, work):
    """A call that runs ``work(session)`` on a database connection of its own."""

    def call():
        session = app.extensions["db_sessionmaker"]()
        try:
            return work(session)
        finally:
            session.close()

    return call


def _count(app, query) -> int:
    with app.app_context():
        return get_session().scalar(query)


def _events(app, action: str) -> int:
    return _count(
        app, select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def _clients(server: str, emails: list[str]) -> list[WebClient]:
    clients = []
    for email in emails:
        client = WebClient(server)
        client.login(email, PASSWORD)
        clients.append(client)
    return clients


def test_completing_at_once_completes_once(app, server, officers, shared_assessment):
    clients = _clients(server, officers[:4])
    path = f"/assessments/{shared_assessment}/complete"
    for client in clients:
        client.page(path)
    responses = simultaneously(*(lambda c=c: c.post(path, {}) for c in clients))
    assert [r.status_code for r in responses] == [302] * 4
    assert _events(app, "assessment.complete") == 1


def test_the_same_new_report_asked_for_at_once_is_made_once_for_everyone(
    app, server, officers, shared_assessment
):
    clients = _clients(server, officers[:3])
    path = f"/assessments/{shared_assessment}/report.pdf"
    asked = simultaneously(*(lambda c=c: c.http.get(path) for c in clients))
    assert [r.status_code for r in asked] == [303] * 3
    assert len({r.headers["Location"] for r in asked}) == 1  # one report, joined by all
    pdfs = simultaneously(*(lambda c=c: c.fetch_report(path).content for c in clients))
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    assert len(set(pdfs)) == 1
    made = select(Report.status, Report.attempts).where(Report.assessment_id == shared_assessment)
    with app.app_context():
        assert get_session().execute(made).all() == [("ready", 1)]


def test_one_e_mail_created_twice_at_once_makes_one_account(app, people):
    def create(session):
        return users.create_user(
            session,
            None,
            users.UserData("twin@aldport.example", "Twin", "officer", people.org_a),
            PASSWORD,
            fast_hash=True,
        )

    results = simultaneously(_in_own_session(app, create), _in_own_session(app, create))
    refused = [r for r in results if isinstance(r, users.UserError)]
    assert len(refused) == 1, results
    assert "already exists" in str(refused[0])
    query = select(func.count()).select_from(User).where(User.email == "twin@aldport.example")
    assert _count(app, query) == 1


def test_one_organisation_name_created_twice_at_once_makes_one(app):
    def create(name):
        data = organisations.OrganisationData(name, "terminal", "NL")
        return _in_own_session(app, lambda s: organisations.create_organisation(s, None, data))

    results = simultaneously(create("Port of Twin"), create("PORT OF TWIN"))
    assert sum(isinstance(r, organisations.OrganisationError) for r in results) == 1, results
    query = (
        select(func.count())
        .select_from(Organisation)
        .where(func.lower(Organisation.name) == "port of twin")
    )
    assert _count(app, query) == 1


def _admin(session, people):
    return find_by_email(session, people.admin)


def test_two_drafts_of_one_set_at_once_make_one(app, people, concurrency_set):
    def copy(session):
        source = session.get(QuestionSetVersion, concurrency_set)
        return drafts.copy_to_draft(session, _admin(session, people), source)

    results = simultaneously(_in_own_session(app, copy), _in_own_session(app, copy))
    assert sum(isinstance(r, drafts.DraftError) for r in results) == 1, results
    query = (
        select(func.count())
        .select_from(QuestionSetVersion)
        .where(QuestionSetVersion.status == "draft")
    )
    assert _count(app, query) == 1


def _draft(app, people, concurrency_set) -> int:
    with app.app_context():
        session = get_session()
        source = session.get(QuestionSetVersion, concurrency_set)
        return drafts.copy_to_draft(session, _admin(session, people), source).id


def test_two_edits_of_one_draft_at_once_both_stay(app, people, concurrency_set):
    draft_id = _draft(app, people, concurrency_set)

    def edit(index: int, text: str):
        def change(data):
            data["sections"][0]["questions"][index]["text"] = text
            return ("sections", 0, "questions", index)

        def work(session):
            draft = session.get(QuestionSetVersion, draft_id)
            return drafts.apply_edit(session, _admin(session, people), draft, change, what="t")

        return _in_own_session(app, work)

    results = simultaneously(edit(0, "First edited text?"), edit(1, "Second edited text?"))
    assert not [r for r in results if isinstance(r, Exception)], results
    with app.app_context():
        data = drafts.data_of(get_session().get(QuestionSetVersion, draft_id))
    texts = [q["text"] for q in data["sections"][0]["questions"][:2]]
    assert texts == ["First edited text?", "Second edited text?"]
    assert _events(app, "question_set.edit") == 2


def test_publishing_one_draft_twice_at_once_publishes_once(app, people, concurrency_set):
    draft_id = _draft(app, people, concurrency_set)

    def publish(session):
        draft = session.get(QuestionSetVersion, draft_id)
        return drafts.publish(session, _admin(session, people), draft)

    results = simultaneously(_in_own_session(app, publish), _in_own_session(app, publish))
    assert sum(isinstance(r, drafts.DraftError) for r in results) == 1, results
    assert _events(app, "question_set.publish") == 1


def test_moving_one_assessment_twice_at_once_moves_once(
    app, people, concurrency_set, shared_assessment
):
    draft_id = _draft(app, people, concurrency_set)
    with app.app_context():
        session = get_session()
        drafts.publish(session, _admin(session, people), session.get(QuestionSetVersion, draft_id))

    def move(session):
        officer = find_by_email(session, people.officer_a)
        assessment = assessments.get_assessment(session, officer, shared_assessment)
        target = session.get(QuestionSetVersion, draft_id)
        return moves.move_to_version(session, officer, assessment, target)

    results = simultaneously(_in_own_session(app, move), _in_own_session(app, move))
    assert sum(isinstance(r, assessments.AssessmentError) for r in results) == 1, results
    query = select(func.count()).select_from(AssessmentMove)
    assert _count(app, query) == 1
