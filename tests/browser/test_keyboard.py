"""The officer's journey with the keyboard alone: Tab, Shift+Tab, Space and Enter, no mouse.

Every element the focus passes must show it (an outline or a box-shadow in its computed style)
and be on screen, not hidden under the sticky save bar.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from .helpers import assert_focus_visible, press_until_focused, shot

pytestmark = pytest.mark.slow


def test_the_whole_journey_by_keyboard(live_server, seeded, page):
    base = live_server
    keys = page.keyboard

    # Log in, by way of the skip link.
    page.goto(f"{base}/login")
    keys.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    assert_focus_visible(page)
    shot(page, "keyboard-01-skip-link", full_page=False)
    keys.press("Enter")
    expect(page.locator("main")).to_be_focused()
    press_until_focused(page, page.get_by_label("E-mail"))
    keys.type(seeded.officer_a)
    press_until_focused(page, page.get_by_label("Password"))
    keys.type(PASSWORD)
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/assessments/(#main)?$"))  # the skip link's fragment stays

    # Start an assessment.
    press_until_focused(page, page.get_by_role("link", name="Start your first assessment"))
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/assessments/new$"))
    press_until_focused(page, page.get_by_label("Title"))
    keys.type("Keyboard check")
    press_until_focused(page, page.get_by_role("button", name="Start"))
    shot(page, "keyboard-02-start-button", full_page=False)
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/sections/profile$"))

    # A single choice, then the checklist it brings up.
    ot = page.get_by_role("group", name="Do you operate cranes or other OT?")
    press_until_focused(page, ot.get_by_label("Yes", exact=True))
    keys.press("Space")
    expect(ot.get_by_label("Yes", exact=True)).to_be_checked()
    equipment = page.get_by_role("group", name="Which equipment do you operate?")
    expect(equipment).to_be_visible()
    press_until_focused(page, equipment.get_by_label("Ship-to-shore cranes"))
    keys.press("Space")
    expect(equipment.get_by_label("Ship-to-shore cranes")).to_be_checked()
    shot(page, "keyboard-03-checklist", full_page=False)
    press_until_focused(page, page.get_by_role("button", name="Save and continue"))
    shot(page, "keyboard-04-save-and-continue", full_page=False)
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/sections/backups$"))

    # The next section: a choice and a number, then on to the Cranes section it switched on.
    backup = page.get_by_role("group", name="Is there an offline copy of your backups?")
    press_until_focused(page, backup.get_by_label("Yes", exact=True))
    keys.press("Space")
    press_until_focused(page, page.get_by_label("Number (days)"))
    keys.type("1")
    press_until_focused(page, page.get_by_role("button", name="Save and continue"))
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/sections/cranes$"))
    cranes = page.get_by_role("group", name=re.compile("^Is supplier remote access"))
    press_until_focused(page, cranes.get_by_label("Yes", exact=True))
    keys.press("Space")
    press_until_focused(page, page.get_by_role("button", name="Save and continue"))
    keys.press("Enter")

    # Review: everything answered, as typed.
    page.wait_for_url(re.compile(r".*/review$"))
    expect(page.get_by_label(re.compile(r"^Answered \d+ of"))).to_have_accessible_name(
        "Answered 5 of 5 questions"
    )
    answers = page.locator(".answers")
    for question, answer in [
        ("Do you operate cranes or other OT?", "Yes"),
        ("Which equipment do you operate?", "Ship-to-shore cranes"),
        ("Is there an offline copy of your backups?", "Yes"),
        ("How many days would a full restore take?", "1"),
        ("Is supplier remote access to cranes switched off by default?", "Yes"),
    ]:
        row = answers.locator(".answer-row").filter(has=page.get_by_text(question, exact=True))
        expect(row.locator("dd")).to_contain_text(answer)

    # Complete: past the Cancel link and back with Shift+Tab.
    press_until_focused(page, page.get_by_role("link", name="Complete the assessment"))
    shot(page, "keyboard-05-review", full_page=False)
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/complete$"))
    press_until_focused(page, page.get_by_role("link", name="Cancel"))
    press_until_focused(page, page.get_by_role("button", name="Complete"), key="Shift+Tab")
    shot(page, "keyboard-06-complete", full_page=False)
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/results$"))
    expect(page.get_by_role("status").filter(has_text="completed")).to_be_visible()
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
