"""The section pages without JavaScript: plain forms that post, and the server re-renders.

No autosave, no follow-up question appearing as you click: the answers are kept when saved, and
a profile answer switches a section on once it is saved.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import extra_context, shot, start_assessment

pytestmark = pytest.mark.slow


@pytest.fixture
def plain_page(browser, request):
    """A page in a browser context with JavaScript switched off."""
    with extra_context(browser, request, "no-js", java_script_enabled=False) as context:
        yield context.new_page()


def test_a_section_saves_and_shows_its_answers_after_reload(live_server, seeded, plain_page):
    page = plain_page
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server, "Without scripts")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Backups").click()
    expect(page.get_by_role("button", name="Clear answer")).to_have_count(0)  # a script's
    question = page.get_by_role("group", name="Is there an offline copy of your backups?")
    question.get_by_label("No", exact=True).check()
    question.get_by_label("Comment").fill("Backups sit on the NAS in the office.")
    question.get_by_label("Mark for review").check()
    page.get_by_label("Number (days)").fill("4")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved 2 answers.")).to_be_visible()
    shot(page, "no-js-backups-saved")

    page.reload()
    question = page.get_by_role("group", name="Is there an offline copy of your backups?")
    expect(question.get_by_label("No", exact=True)).to_be_checked()
    expect(question.get_by_label("Comment")).to_have_value("Backups sit on the NAS in the office.")
    expect(question.get_by_label("Mark for review")).to_be_checked()
    expect(page.get_by_label("Number (days)")).to_have_value("4")
    expect(page.get_by_label("Answered 2 of 3 questions")).to_be_visible()

    # A refused save keeps what was typed and says what to correct, at the top and the question.
    page.get_by_label("Number (days)").fill("1000")
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="Nothing was saved")
    expect(summary).to_be_visible()
    expect(page.get_by_label("Number (days)")).to_have_value("1000")
    expect(page.get_by_label("Number (days)")).to_have_attribute("aria-invalid", "true")
    shot(page, "no-js-backups-refused")
    summary.get_by_role("link", name=re.compile("How many days")).click()
    expect(page).to_have_url(re.compile(r"#question-b-days$"))


def test_a_profile_answer_switches_a_section_on_once_saved(live_server, seeded, plain_page):
    page = plain_page
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server, "Without scripts")
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections.get_by_role("link", name="Cranes")).to_have_count(0)
    expect(page.locator('[data-toc="cranes"]')).to_contain_text("does not apply")
    follow_up = page.get_by_role("group", name="Which equipment do you operate?")
    expect(follow_up).to_be_hidden()  # asked only after "Yes" is saved

    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved 1 answer.")).to_be_visible()
    expect(follow_up).to_be_visible()
    expect(sections.get_by_role("link", name="Cranes")).to_be_visible()
    shot(page, "no-js-profile-saved")

    follow_up.get_by_label("Ship-to-shore cranes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/sections/backups$"))
    sections.get_by_role("link", name="Cranes").click()
    page.wait_for_url(re.compile(r".*/sections/cranes$"))
    expect(page.get_by_role("group", name=re.compile("^Is supplier remote access"))).to_be_visible()
