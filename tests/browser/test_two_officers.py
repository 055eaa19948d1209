"""Two officers of one organisation on the same question, each in their own browser.

The second to save is told who changed the answer and to what, and loses nothing: what they
chose and typed is still in the form, and saving again on purpose keeps it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import (
    assert_no_axe_violations,
    extra_context,
    saved_status,
    shot,
    start_assessment,
)

pytestmark = pytest.mark.slow

QUESTION = "Is there an offline copy of your backups?"
THEIR_COMMENT = "Checked with IT on Monday: the tapes go to the bank."


@pytest.fixture
def colleague_page(browser, request, colleague):
    """The colleague (the second officer of organisation A) in a browser of their own."""
    with extra_context(browser, request, "colleague") as context:
        page = context.new_page()
        yield page


@pytest.fixture
def colleague_without_script(browser, request, colleague):
    with extra_context(browser, request, "colleague-no-js", java_script_enabled=False) as context:
        yield context.new_page()


def both_on_backups(live_server, seeded, colleague, page, other) -> str:
    """Officer A starts an assessment; both open its Backups section before anyone answers."""
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server, "Shared check")
    backups = page.url.replace("/sections/profile", "/sections/backups")
    page.goto(backups)
    log_in(other, live_server, colleague)
    other.goto(backups)
    return backups


def officer_a_answers_no(page) -> None:
    page.get_by_role("group", name=QUESTION).get_by_label("No", exact=True).check()
    expect(saved_status(page)).to_be_visible(timeout=10000)


def test_the_second_autosave_is_refused_and_keeps_the_typed_answer(
    live_server, seeded, colleague, page, colleague_page
):
    other = colleague_page
    backups = both_on_backups(live_server, seeded, colleague, page, other)
    officer_a_answers_no(page)

    question = other.get_by_role("group", name=QUESTION)
    question.get_by_label("Comment").fill(THEIR_COMMENT)
    question.get_by_label("Yes", exact=True).check()
    expect(other.get_by_role("status")).to_contain_text(
        "changed by Officer.A while you were editing", timeout=10000
    )
    conflict = question.get_by_role("alert")
    expect(conflict).to_contain_text("Officer.A changed this answer")
    expect(conflict).to_contain_text("Their answer: No")
    expect(conflict).to_contain_text("Your answer has not been saved.")
    expect(question.get_by_label("Yes", exact=True)).to_be_checked()
    expect(question.get_by_label("Comment")).to_have_value(THEIR_COMMENT)
    assert_no_axe_violations(other, "the section with a conflict (script)")
    shot(other, "conflict-autosave")

    # A reload shows officer A's answer; keeping one's own is a deliberate second step.
    conflict.get_by_role("button", name="Keep my answer").click()
    expect(conflict).to_have_count(0)
    expect(question.get_by_label("Yes", exact=True)).to_be_focused()
    expect(saved_status(other)).to_be_visible(timeout=10000)

    page.goto(backups)
    question = page.get_by_role("group", name=QUESTION)
    expect(question.get_by_label("Yes", exact=True)).to_be_checked()
    expect(question.get_by_label("Comment")).to_have_value(THEIR_COMMENT)
    expect(question).to_contain_text("Last changed by Colleague A")


def test_the_second_form_save_is_refused_and_keeps_the_typed_answer(
    live_server, seeded, colleague, page, colleague_without_script
):
    other = colleague_without_script
    backups = both_on_backups(live_server, seeded, colleague, page, other)
    officer_a_answers_no(page)

    question = other.get_by_role("group", name=QUESTION)
    question.get_by_label("Yes", exact=True).check()
    question.get_by_label("Comment").fill(THEIR_COMMENT)
    other.get_by_label("Number (days)").fill("3")
    other.get_by_role("button", name="Save", exact=True).click()

    # The restore time did not conflict: it is saved; the conflicting answer is not.
    summary = other.get_by_role("alert").filter(has_text="1 answer was saved; 1 was not.")
    expect(summary).to_contain_text("1 answer was changed by someone else")
    expect(summary.get_by_role("link", name=QUESTION)).to_be_visible()
    conflict = question.get_by_role("alert")
    expect(conflict).to_contain_text("Officer.A changed this answer")
    expect(conflict).to_contain_text("Their answer: No")
    expect(conflict).to_contain_text("Your answer is still in the form below")
    expect(question.get_by_label("Yes", exact=True)).to_be_checked()
    expect(question.get_by_label("Comment")).to_have_value(THEIR_COMMENT)
    expect(other.get_by_label("Number (days)")).to_have_value("3")  # saved, shown as stored
    shot(other, "conflict-form")

    other.get_by_role("button", name="Save", exact=True).click()  # on purpose, knowing theirs
    expect(other.get_by_role("status").filter(has_text="Saved 1 answer.")).to_be_visible()

    page.goto(backups)
    question = page.get_by_role("group", name=QUESTION)
    expect(question.get_by_label("Yes", exact=True)).to_be_checked()
    expect(question.get_by_label("Comment")).to_have_value(THEIR_COMMENT)
    expect(page.get_by_label("Number (days)")).to_have_value("3")
    expect(page).to_have_url(re.compile(r"/sections/backups$"))
