"""Evidence behind an answer, entered in the browser: "how do we know" and the date last checked.

It is saved with the answer by autosave, shown again after a reload, and a colleague's edit of
the same evidence made meanwhile is refused exactly like a conflicting answer.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import extra_context, saved_status, start_assessment

pytestmark = pytest.mark.slow

QUESTION = "Is there an offline copy of your backups?"
EVIDENCE = "Restore test record RT-2026-11, tapes at the bank"
CHECKED = "2026-11-02"


@pytest.fixture
def colleague_page(browser, request, colleague):
    with extra_context(browser, request, "colleague-evidence") as context:
        yield context.new_page()


def open_backups(page, live_server, user, title=None) -> str:
    log_in(page, live_server, user)
    if title:
        start_assessment(page, live_server, title)
    return page.url.replace("/sections/profile", "/sections/backups")


def test_evidence_is_saved_shown_after_a_reload_and_a_conflicting_edit_is_refused(
    live_server, seeded, colleague, page, colleague_page
):
    backups = open_backups(page, live_server, seeded.officer_a, "Evidence check")
    page.goto(backups)
    other = colleague_page
    log_in(other, live_server, colleague)
    other.goto(backups)  # the colleague opens the section before anything is saved

    question = page.get_by_role("group", name=QUESTION)
    question.get_by_label("Yes", exact=True).check()
    question.get_by_label("How do we know?").fill(EVIDENCE)
    question.get_by_label("Last checked").fill(CHECKED)
    expect(saved_status(page)).to_be_visible(timeout=10000)

    page.reload()
    question = page.get_by_role("group", name=QUESTION)
    expect(question.get_by_label("Yes", exact=True)).to_be_checked()
    expect(question.get_by_label("How do we know?")).to_have_value(EVIDENCE)
    expect(question.get_by_label("Last checked")).to_have_value(CHECKED)

    # The colleague's page still shows the question as it was; their evidence edit is refused.
    theirs = other.get_by_role("group", name=QUESTION)
    theirs.get_by_label("How do we know?").fill("Asked IT, they said yes")
    expect(other.get_by_role("status")).to_contain_text(
        f"1 answer was not saved: “{QUESTION}”: changed by Officer.A while you were editing",
        timeout=10000,
    )
    conflict = theirs.get_by_role("alert")
    expect(conflict).to_contain_text("Officer.A changed this answer")
    expect(conflict).to_contain_text(EVIDENCE)
    expect(theirs.get_by_label("How do we know?")).to_have_value("Asked IT, they said yes")

    page.reload()
    expect(page.get_by_role("group", name=QUESTION).get_by_label("How do we know?")).to_have_value(
        EVIDENCE
    )
