"""The sector view in a real browser: three organisations share and the analyst sees "Not enough
organisations"; five share and the analyst sees the distributions; one opts out (its officer,
through the confirmation page) and the figures are suppressed again at once."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import QuestionSetVersion
from assessment.services import answers, assessments, users
from assessment.services.records import question_set_of
from assessment.services.sector_seed import random_answers, seed_sector

from ..conftest import PASSWORD, enrol_mfa
from .conftest import admin_log_in, log_in
from .helpers import assert_no_axe_violations

pytestmark = pytest.mark.slow

ANALYST = "analyst@authority.example"


def _version(session) -> QuestionSetVersion:
    return session.scalar(select(QuestionSetVersion).where(QuestionSetVersion.set_id == "journey"))


def seed(app, count: int, first: int) -> None:
    with app.app_context():
        session = get_session()
        seed_sector(session, _version(session), count, first=first, fast_hash=True)


def officer_a_completes_an_assessment(app, email: str) -> None:
    """Organisation A's completed assessment (through the services: the answering pages have
    browser tests of their own)."""
    with app.app_context():
        session = get_session()
        officer = users.find_by_email(session, email)
        version = _version(session)
        made = assessments.start_assessment(session, officer, "Aldport 2026", "", version.id)
        given = random_answers(question_set_of(version), random.Random(7), 0.6)  # noqa: S311
        inputs = [
            answers.AnswerInput(qid, answers.storable(a), comment="Aldport secret")
            for qid, a in given.items()
        ]
        answers.save_answers(session, officer, made, inputs)
        assessments.complete(session, officer, made)
        analyst = users.create_user(
            session,
            None,
            users.UserData(ANALYST, "Sector Analyst", "analyst", None),
            PASSWORD,
            fast_hash=True,
        )
        enrol_mfa(session, analyst)  # an analyst, like an administrator, has a second factor


def analyst_sees(page, base: str):
    page.goto(f"{base}/sector/")
    return page


def test_three_share_not_enough_five_share_figures_one_opts_out_suppressed(
    app, live_server, seeded, context, browser
):
    officer_a_completes_an_assessment(app, seeded.officer_a)
    seed(app, 3, first=1)

    analyst = context.new_page()
    admin_log_in(analyst, live_server, ANALYST, landing=r".*/sector/$")
    expect(analyst.get_by_role("link", name="Sector view")).to_be_visible()
    expect(analyst.get_by_role("link", name="Assessments")).to_have_count(0)
    expect(analyst.locator("#suppressed")).to_contain_text("Not enough organisations")

    # Organisation A's officer turns sharing on, through the confirmation page: four share.
    officer_context = browser.new_context()
    officer = officer_context.new_page()
    log_in(officer, live_server, seeded.officer_a)
    officer.get_by_role("link", name="Sharing with the sector view").click()
    expect(officer.locator("#sharing-state")).to_have_text("does not share")
    assert_no_axe_violations(officer, "the sharing page")
    officer.get_by_role("button", name="Share completed results with the sector view").click()
    expect(officer.locator("#sharing-state")).to_have_text("shares")
    analyst.reload()
    expect(analyst.locator("#suppressed")).to_contain_text("Not enough organisations")

    # A fifth: the figures and the distributions appear.
    seed(app, 1, first=4)
    analyst.reload()
    expect(analyst.locator("#suppressed")).to_have_count(0)
    expect(analyst.locator("#group-size")).to_contain_text("Based on 5 organisations")
    distribution = analyst.locator("details.distribution", has_text="offline copy of your backups")
    distribution.locator("summary").click()
    expect(distribution.get_by_role("row").nth(1)).to_contain_text("%")
    assert_no_axe_violations(analyst, "the sector view")
    body = analyst.content()
    assert "Aldport" not in body
    assert "Seeded port" not in body

    # A's officer stops sharing: suppressed again on the analyst's next page.
    officer.get_by_role("button", name="Stop sharing").click()
    expect(officer.locator("#sharing-state")).to_have_text("does not share")
    analyst.reload()
    expect(analyst.locator("#suppressed")).to_contain_text("Not enough organisations")
    expect(analyst.locator("#group-size")).to_have_count(0)
    officer_context.close()
