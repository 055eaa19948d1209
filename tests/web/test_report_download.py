"""The PDF report from the results page: made by a report worker, followed on a status page,
downloaded with safe headers; once per state; isolated; limited per person; failures kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessment import create_app
from assessment.db import get_session
from assessment.models import Organisation, Report

from ..conftest import app_settings, fetch_report, report_worker
from ..report.conftest import pages_text
from .test_assessments import open_section, save, start

pytestmark = pytest.mark.slow


@pytest.fixture
def officer(client, people, scoring_set, worker):
    client.login(people.officer_a)
    return client


def reports_of(app, assessment_id: int) -> list[Report]:
    with app.app_context():
        return list(
            get_session().scalars(
                select(Report).where(Report.assessment_id == assessment_id).order_by(Report.id)
            )
        )


def test_the_report_is_made_by_a_worker_and_downloaded_with_safe_headers(officer):
    assessment_id = start(officer)
    save(
        officer,
        assessment_id,
        "a",
        open_section(officer, assessment_id, "a")
        .set("a:a1", "no")
        .set("c:a1", "Backups sit on the office NAS."),
    )
    results = officer.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert f'href="/assessments/{assessment_id}/report.pdf"' in results
    asked = officer.get(f"/assessments/{assessment_id}/report.pdf")
    assert asked.status_code == 303  # answered at once: the page follows the render
    status = officer.get(asked.headers["Location"]).get_data(as_text=True)
    assert "being prepared" in status or "is ready" in status
    response = fetch_report(officer, f"/assessments/{assessment_id}/report.pdf")
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Port-of-Aldport-')
    assert disposition.endswith("-report.pdf")
    text = " ".join(pages_text(response.data))
    assert "Port of Aldport" in text
    assert "Backups sit on the office NAS." in text


def test_the_status_page_refreshes_itself_without_javascript(app, people, scoring_set, client):
    """While the report is not made the page says where it is and reloads itself. (A report
    worker of the shared app, started by an earlier test in this process, may already have
    taken it: then it says it is being made.)"""
    client.login(people.officer_a)
    assessment_id = start(client)
    asked = client.get(f"/assessments/{assessment_id}/report.pdf")
    html = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "waiting for a report worker" in html or "It is being made" in html
    assert "<script>" not in html


def test_one_state_is_rendered_once_and_a_change_makes_a_new_report(app, officer):
    assessment_id = start(officer)
    url = f"/assessments/{assessment_id}/report.pdf"
    first = officer.get(url)
    second = officer.get(url)  # joins the first, whatever stage it is at
    assert second.status_code in (200, 303)
    if second.status_code == 303:
        assert second.headers["Location"] == first.headers["Location"]
    first_pdf = fetch_report(officer, url).data
    assert fetch_report(officer, url).data == first_pdf  # ready: sent at once
    made = reports_of(app, assessment_id)
    assert [(r.status, r.attempts) for r in made] == [("ready", 1)]
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "yes"))
    assert fetch_report(officer, url).data != first_pdf
    officer.submit(f"/assessments/{assessment_id}/complete")  # made in advance
    assert fetch_report(officer, url).data.startswith(b"%PDF")  # the cover says "completed"
    states = {r.state_key for r in reports_of(app, assessment_id)}
    assert len(states) == 1  # older finished reports of the assessment are dropped


def test_another_organisation_cannot_ask_for_or_follow_a_report(app, officer, people, make_client):
    assessment_id = start(officer)
    asked = officer.get(f"/assessments/{assessment_id}/report.pdf")
    intruder = make_client()
    intruder.login(people.officer_b)
    assert intruder.get(f"/assessments/{assessment_id}/report.pdf").status_code == 404
    assert intruder.get(asked.headers["Location"]).status_code == 404
    assert intruder.get(asked.headers["Location"] + "/download").status_code == 404
    assert len(reports_of(app, assessment_id)) == 1


def test_asking_is_limited_per_person_not_per_session(app, officer, people, make_client):
    app.config["REPORT_LIMIT_PER_USER"] = "2 per minute"
    assessment_id = start(officer)
    url = f"/assessments/{assessment_id}/report.pdf"
    assert officer.get(url).status_code in (200, 303)
    assert officer.get(url).status_code in (200, 303)
    assert officer.get(url).status_code == 429
    officer.logout()
    officer.login(people.officer_a)
    assert officer.get(url).status_code == 429  # a new session is the same person
    admin = make_client()
    admin.login(people.admin)
    assert admin.get(url).status_code in (200, 303)  # other people are not held up


def test_a_hostile_organisation_name_cannot_break_the_header(app, officer, people):
    with app.app_context():
        session = get_session()
        session.get(Organisation, people.org_a).name = 'X"; \r\nSet-Cookie: a=b'
        session.commit()
    assessment_id = start(officer)
    response = fetch_report(officer, f"/assessments/{assessment_id}/report.pdf")
    assert all("a=b" not in cookie for cookie in response.headers.getlist("Set-Cookie"))
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert disposition.startswith('attachment; filename="X-Set-Cookie-a-b-')


def test_a_failed_render_is_remembered_and_explained(database_url, people, scoring_set):
    """A render over its time limit fails cleanly; asking again for the same state shows the
    same failure without rendering again, and says what to do."""
    from ..conftest import Client

    app = create_app(app_settings(database_url, REPORT_TIMEOUT_SECONDS=0.001))
    app.test_client_class = Client
    try:
        with report_worker(app, workers=1):
            client = app.test_client()
            client.login(people.officer_a)
            assessment_id = start(client)
            url = f"/assessments/{assessment_id}/report.pdf"
            with pytest.raises(AssertionError, match="could not be made"):
                fetch_report(client, url, deadline=60)
            again = client.get(url)
            html = client.get(again.headers["Location"]).get_data(as_text=True)
            assert "could not be made" in html
            assert "longer than" in html
            assert "answers.csv" in html  # what to do instead
            made = reports_of(app, assessment_id)
            assert [(r.status, r.attempts) for r in made] == [("failed", 1)]
    finally:
        app.extensions["db_engine"].dispose()


def _queued(session, assessment_id: int, organisation_id: int, key: str) -> int:
    from assessment.models import ReportStatus

    report = Report(
        state_key=key,
        kind="assessment",
        assessment_id=assessment_id,
        organisation_id=organisation_id,
        status=ReportStatus.QUEUED,
        filename="r.pdf",
        html="<p>report</p>",
        attachment="{}",
        attempts=0,
    )
    session.add(report)
    session.commit()
    return report.id


def test_one_organisation_renders_one_report_at_a_time_and_others_go_first(
    app, people, scoring_set, client
):
    """With one render per organisation at once, a second report of organisation A waits
    (the worker puts it back for later) while organisation B's is taken."""
    from assessment.services import reports

    client.login(people.officer_a)
    a_first, a_second = start(client), start(client)
    other = app.test_client()
    other.login(people.officer_b)
    b_only = start(other)
    with app.app_context():
        session = get_session()
        first = _queued(session, a_first, people.org_a, "a" * 64)
        second = _queued(session, a_second, people.org_a, "b" * 64)
        third = _queued(session, b_only, people.org_b, "c" * 64)
        assert reports.claim(session, first, per_organisation=1).status == "rendering"
        with pytest.raises(reports.OrganisationBusy):
            reports.claim(session, second, per_organisation=1)
        assert reports.claim(session, third, per_organisation=1).status == "rendering"
        assert reports.claim(session, first, per_organisation=1) is None  # taken already


def test_a_report_a_killed_worker_left_is_put_back_in_the_queue(app, people, scoring_set, client):
    from datetime import timedelta

    from assessment.models import utcnow
    from assessment.services import reports

    client.login(people.officer_a)
    assessment_id = start(client)
    with app.app_context():
        session = get_session()
        report_id = _queued(session, assessment_id, people.org_a, "d" * 64)
        reports.claim(session, report_id, per_organisation=1)
        assert reports.stuck_reports(session, timedelta(minutes=5)) == []  # still fresh
        stale = session.get(Report, report_id)
        stale.started_at = utcnow() - timedelta(minutes=10)
        session.commit()
        assert reports.stuck_reports(session, timedelta(minutes=5)) == [report_id]
        assert session.get(Report, report_id, populate_existing=True).status == "queued"


def test_a_waiting_report_is_put_back_only_when_the_queue_may_have_lost_it(
    app, people, scoring_set, client
):
    from datetime import timedelta

    from assessment.models import utcnow
    from assessment.services import reports

    client.login(people.officer_a)
    assessment_id = start(client)
    with app.app_context():
        session = get_session()
        report_id = _queued(session, assessment_id, people.org_a, "e" * 64)
        waiting = session.get(Report, report_id)
        waiting.requested_at = utcnow() - timedelta(minutes=10)
        session.commit()
        # A backlog: its message is still in the queue, a copy would render it twice.
        assert reports.stuck_reports(session, timedelta(minutes=5), include_waiting=False) == []
        # An empty queue with a report waiting that long: its message was lost.
        assert reports.stuck_reports(session, timedelta(minutes=5)) == [report_id]
