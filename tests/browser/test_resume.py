"""Closing the tab in the middle of a section and coming back later: what the page had saved in
the background is there, without the officer ever pressing Save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import saved_status, shot, start_assessment

pytestmark = pytest.mark.slow

QUESTION = "Is there an offline copy of your backups?"
COMMENT = "One copy on tape, kept off site since March."


def test_answers_saved_in_the_background_survive_closing_the_tab(
    live_server, seeded, context, page
):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server, "Interrupted check")
    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "No", exact=True
    ).check()
    expect(saved_status(page)).to_be_visible(timeout=10000)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Backups").click()
    question = page.get_by_role("group", name=QUESTION)
    question.get_by_label("No", exact=True).check()
    question.get_by_label("Comment").fill(COMMENT)
    question.get_by_label("Mark for review").check()
    expect(saved_status(page)).to_be_visible(timeout=10000)
    # Nothing waits to be saved, so closing asks nothing.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    assert dialogs == []

    # Later, in a new tab: from the list of assessments back to where the work stopped.
    page = context.new_page()
    page.goto(f"{live_server}/assessments/")
    page.get_by_role("link", name="Interrupted check").click()
    page.wait_for_url(re.compile(r".*/sections/backups$"))  # the first section not finished
    question = page.get_by_role("group", name=QUESTION)
    expect(question.get_by_label("No", exact=True)).to_be_checked()
    expect(question.get_by_label("Comment")).to_have_value(COMMENT)
    expect(question.get_by_label("Mark for review")).to_be_checked()
    expect(question).to_contain_text("Last changed by Officer.A")
    expect(page.get_by_label("Answered 2 of 3 questions")).to_be_visible()
    shot(page, "resume-backups")

    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("group", name="Show").get_by_label(re.compile(r"^Marked for review")).check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".answers")).to_contain_text(QUESTION)
    expect(page.locator(".answers")).to_contain_text(COMMENT)
