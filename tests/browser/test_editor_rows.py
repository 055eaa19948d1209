"""Choice rows in the question editor, with the script: moved with the keyboard, inserted at
any place, announced, saved in the order shown; long labels wrap instead of being cut."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import QuestionSetVersion
from assessment.questionset import editing as edit
from assessment.services import drafts

from .helpers import assert_no_axe_violations, shot
from .test_admin_journey import admin_log_in

pytestmark = pytest.mark.slow

LONG_LABEL = (
    "Yes: an offline copy is kept at another site, checked every month, and a full restore "
    "from it was tested in the last twelve months"
)


def b_offline_choices(app) -> list[str]:
    with app.app_context():
        draft = get_session().scalar(
            select(QuestionSetVersion).where(QuestionSetVersion.status == "draft")
        )
        return [
            c["id"] for c in edit.find_question(drafts.data_of(draft), "b-offline")[1]["choices"]
        ]


def test_choice_rows_are_reordered_and_inserted_with_the_keyboard(app, live_server, seeded, page):
    admin_log_in(page, live_server, seeded.admin)
    page.goto(f"{live_server}/admin/question-sets/")
    page.get_by_role("button", name="Copy to a draft (version 1)").click()
    page.get_by_role("link", name="Edit question b-offline").click()
    page.wait_for_url(re.compile(r".*/questions/b-offline/edit$"))

    choices = page.get_by_role("table", name=re.compile("^Choices"))
    expect(choices.get_by_role("columnheader", name="Position")).to_be_hidden()
    # "No" (row 2) up to the top, with the keyboard; the focus stays on the moved row's button.
    choices.get_by_role("button", name="Move up, row 2").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="moved")).to_have_text(
        "“no” moved to position 1 of 6."
    )
    expect(choices.get_by_label("Id, row 1")).to_have_value("no")
    expect(choices.get_by_label("Id, row 2")).to_have_value("yes")
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "Move up, row 1"

    # An empty row above "Yes" (now row 2), typed into at once.
    choices.get_by_role("button", name="Insert above, row 2").focus()
    page.keyboard.press("Space")
    expect(choices.get_by_label("Id, row 2")).to_be_focused()
    page.keyboard.type("partly")
    choices.get_by_label("Label, row 2").fill("Partly")
    choices.get_by_label("Score (0-1), row 2").fill("0.5")
    label = choices.get_by_label("Label, row 3")
    label.fill(LONG_LABEL)
    fits = label.evaluate("(el) => el.scrollHeight <= el.clientHeight + 2")
    assert fits, "a long label is cut in its field"
    assert_no_axe_violations(page, "the question editor")
    shot(page, "question editor choice rows")

    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_text("Saved: question 'b-offline'.")).to_be_visible()
    assert b_offline_choices(app) == ["no", "partly", "yes", "dont_know"]
    page.get_by_role("link", name="Edit question b-offline").click()
    expect(page.get_by_label("Label, row 3")).to_have_value(LONG_LABEL)
