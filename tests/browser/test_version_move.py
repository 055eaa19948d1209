"""A version move in the browser: a question reworded with a choice added is shown in the
differences, and after the move its answer is marked to re-check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import QuestionSetVersion, User
from assessment.questionset import editing as edit
from assessment.services import drafts

from .conftest import log_in
from .helpers import assert_no_axe_violations, saved_status, shot, start_assessment

pytestmark = pytest.mark.slow

OLD = "Is there an offline copy of your backups?"
NEW = "Is a copy of every backup kept offline and tested by a restore?"


def publish_version_2(app) -> None:
    """Version 2 of the journey set: b-offline reworded, with a choice "Partly" added."""
    with app.app_context():
        session = get_session()
        admin = session.scalar(select(User).where(User.role == "admin"))
        v1 = session.scalar(select(QuestionSetVersion).where(QuestionSetVersion.version == 1))
        draft = drafts.copy_to_draft(session, admin, v1)
        section, question = edit.find_question(drafts.data_of(draft), "b-offline")
        question["text"] = NEW
        question["choices"].insert(1, {"id": "partly", "label": "Partly", "score": 0.5})
        change = edit.put_question(section["id"], question, "b-offline")
        drafts.apply_edit(session, admin, draft, change, what="b-offline")
        drafts.publish(session, admin, draft)


def test_a_changed_question_is_shown_in_the_diff_and_marked_to_re_check(
    app, live_server, seeded, page
):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server, "Before version 2")
    backups = page.url.replace("/sections/profile", "/sections/backups")
    page.goto(backups)
    page.get_by_role("group", name=OLD).get_by_label("Yes", exact=True).check()
    expect(saved_status(page)).to_be_visible(timeout=10000)

    publish_version_2(app)
    page.reload()
    notice = page.locator(".newer-version")
    expect(notice).to_contain_text("Version 2 of this question set is published.")
    notice.get_by_role("link", name=re.compile("See what changes and move to version 2")).click()
    page.wait_for_url(re.compile(r".*/move$"))

    summary = page.locator(".move-summary")
    expect(summary).to_contain_text("1 answer carried over to a question that changed")
    change = page.get_by_role("article", name=re.compile(NEW[:30]))
    expect(change.get_by_role("row", name=re.compile("^Question"))).to_contain_text(OLD)
    expect(change.get_by_role("row", name=re.compile("^Question"))).to_contain_text(NEW)
    expect(change.get_by_role("row", name=re.compile("Choice 'partly'"))).to_contain_text(
        "“Partly”, score 0.5"
    )
    expect(change).to_contain_text("Your answer is carried over and marked “to re-check”.")
    assert_no_axe_violations(page, "the move page")
    shot(page, "version move with a changed question")

    page.get_by_role("button", name="Move to version 2").click()
    page.wait_for_url(re.compile(r".*/sections/.*|.*/review$"))
    expect(page.get_by_text("1 of them to re-check: their question changed")).to_be_visible()
    expect(page.locator(".newer-version")).to_have_count(0)

    page.goto(backups)
    question = page.get_by_role("group", name=NEW)
    expect(question.get_by_label("Yes", exact=True)).to_be_checked()
    expect(question.get_by_label("Still correct")).to_be_visible()
    page.goto(backups.split("/sections/")[0] + "/review?show=recheck")
    expect(page.get_by_role("radio", name="To re-check (1)")).to_be_checked()
    expect(page.get_by_role("definition").filter(has_text="To re-check")).to_contain_text("Yes")
    expect(page.get_by_text(NEW)).to_be_visible()
