"""Flooding the report workers: every route that asks for a render (the current report, a
history report, the administrator's sample report) spends one budget per person
(``ASSESSMENT_REPORT_LIMIT_PER_USER``), which a new session does not renew. Status pages and
downloads of made reports are not counted. (Case 20 of shared/security.md.)
"""

from __future__ import annotations

import pytest

from assessment.extensions import limiter

from ..conftest import PASSWORD
from .helpers import assert_generic_error


@pytest.fixture
def budget_of_three(app, world):
    """The world asked for one report while it was built; every count starts from zero."""
    app.config["REPORT_LIMIT_PER_USER"] = "3 per minute"
    with app.app_context():
        limiter.reset()


def asked(response) -> bool:
    return response.status_code in (200, 303)


def test_current_and_history_reports_share_one_budget(world, budget_of_three):
    officer = world.officer_a
    current = f"/assessments/{world.a_open}/report.pdf"
    history = f"/assessments/{world.a_moved}/history/{world.move_id}/report.pdf"
    assert asked(officer.get(current))
    assert asked(officer.get(history))
    assert asked(officer.get(current))
    assert_generic_error(officer.get(history), 429)
    assert_generic_error(officer.get(current), 429)


def test_a_new_session_does_not_renew_the_budget(world, budget_of_three, make_client):
    history = f"/assessments/{world.a_moved}/history/{world.move_id}/report.pdf"
    for _ in range(3):
        assert asked(world.officer_a.get(history))
    world.officer_a.logout()
    again = make_client()
    assert again.login(world.people.officer_a, PASSWORD).status_code == 302
    assert_generic_error(again.get(history), 429)


def test_status_pages_and_downloads_are_not_counted(world, budget_of_three):
    officer = world.officer_a
    status = f"/assessments/{world.a_open}/reports/{world.report_id}"
    for _ in range(5):
        assert officer.get(status).status_code == 200
        assert officer.get(status + "/download").status_code in (200, 303)
    assert asked(officer.get(f"/assessments/{world.a_open}/report.pdf"))


@pytest.mark.parametrize("format_", ["pdf", "html"])
def test_the_administrators_sample_reports_are_limited(world, budget_of_three, format_):
    sample = (
        f"/admin/question-sets/{world.question_set}/sample-report?pattern=worst&format={format_}"
    )
    for _ in range(3):
        assert asked(world.admin.get(sample))
    assert_generic_error(world.admin.get(sample), 429)
    # one person's budget: an officer still gets a report
    assert asked(world.officer_a.get(f"/assessments/{world.a_open}/report.pdf"))


def test_the_sample_budget_is_the_administrators_report_budget(world, budget_of_three):
    sample = f"/admin/question-sets/{world.question_set}/sample-report?pattern=best&format=pdf"
    report = f"/assessments/{world.a_done}/report.pdf"  # administrators read every organisation
    assert asked(world.admin.get(sample))
    assert asked(world.admin.get(report))
    assert asked(world.admin.get(sample))
    assert_generic_error(world.admin.get(report), 429)
