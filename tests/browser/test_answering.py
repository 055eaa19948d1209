"""What only a browser can show: autosave, conditional questions, the unsaved-changes warning.

Waits are on conditions (Playwright's expect polls), never fixed sleeps.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import download_report

pytestmark = pytest.mark.slow


def start_assessment(page, base: str, title: str = "Browser check") -> str:
    page.goto(f"{base}/assessments/new")
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r".*/sections/profile$"))
    return page.url


def test_autosave_then_reload_shows_every_answer(live_server, seeded, page):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server)
    page.get_by_role("link", name="Backups").click()
    question = page.get_by_role("group", name="Is there an offline copy of your backups?")
    question.get_by_label("No", exact=True).check()
    question.get_by_label("Comment").fill("Backups sit on the NAS in the office.")
    page.get_by_label("Number (days)").fill("4")
    status = page.get_by_role("status").filter(has_text=re.compile("saved|Saving|Unsaved"))
    expect(status).to_have_text(re.compile(r"All changes saved at \d\d:\d\d"), timeout=10000)
    expect(page.locator("[data-progress-percent]")).to_have_text("67 %")  # 2 of 3

    page.reload()
    question = page.get_by_role("group", name="Is there an offline copy of your backups?")
    expect(question.get_by_label("No", exact=True)).to_be_checked()
    expect(question.get_by_label("Comment")).to_have_value("Backups sit on the NAS in the office.")
    expect(page.get_by_label("Number (days)")).to_have_value("4")


def test_follow_up_questions_and_sections_appear_with_the_answer(live_server, seeded, page):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server)
    follow_up = page.get_by_role("group", name="Which equipment do you operate?")
    expect(follow_up).to_be_hidden()
    expect(page.locator('[data-toc="cranes"]')).to_contain_text("does not apply")

    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "Yes", exact=True
    ).check()
    expect(follow_up).to_be_visible()
    follow_up.get_by_label("Ship-to-shore cranes").check()
    expect(
        page.get_by_role("navigation", name="Sections").get_by_role("link", name="Cranes")
    ).to_be_visible(timeout=10000)

    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "No", exact=True
    ).check()
    expect(follow_up).to_be_hidden()
    expect(page.locator('[data-toc="cranes"]')).to_contain_text("does not apply", timeout=10000)


def test_leaving_with_unsaved_changes_warns(live_server, seeded, page):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server)
    page.route("**/autosave", lambda route: route.abort())  # the server cannot be reached
    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "No", exact=True
    ).check()
    expect(page.get_by_role("status").filter(has_text="Not saved")).to_be_visible(timeout=10000)
    with page.expect_event("dialog", timeout=5000) as warning:
        page.close(run_before_unload=True)
    assert warning.value.type == "beforeunload"
    warning.value.dismiss()  # "stay on this page"
    assert not page.is_closed()
    page.unroute("**/autosave")
    page.close()  # without running beforeunload again


def test_no_warning_once_everything_is_saved(live_server, seeded, page):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server)
    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "No", exact=True
    ).check()
    expect(page.get_by_role("status").filter(has_text="All changes saved")).to_be_visible(
        timeout=10000
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with page.expect_event("close", timeout=5000):
        page.close(run_before_unload=True)
    assert dialogs == []


def test_complete_then_download_the_report_from_the_results_page(live_server, seeded, page):
    from pypdf import PdfReader

    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server, "Report check 2026")
    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Save and continue").click()
    question = page.get_by_role("group", name="Is there an offline copy of your backups?")
    question.get_by_label("No", exact=True).check()
    question.get_by_label("Comment").fill("Backups sit on the NAS in the office.")
    page.get_by_label("Number (days)").fill("5")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Complete the assessment").click()
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_text("The assessment is completed and now read-only.")).to_be_visible()

    download = download_report(page)
    pdf = PdfReader(download.path())
    pages = [p.extract_text() for p in pdf.pages]
    assert download.suggested_filename.endswith("-report.pdf")
    assert len(pages) >= 8
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    text = " ".join(pages)
    assert "Report check 2026" in pages[0]
    for heading in (
        "Executive summary",
        "Weaknesses and what to do",
        "Action plan",
        "Appendix A: every answer",
    ):
        assert heading in text
    assert "No offline backup" in text  # the weakness of the answer given
    assert "Backups sit on the NAS in the office." in text


def test_an_invalid_answer_is_named_and_the_valid_ones_beside_it_are_saved(
    live_server, seeded, page
):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server)
    page.get_by_role("link", name="Backups").click()
    offline = page.get_by_role("group", name="Is there an offline copy of your backups?")
    offline.get_by_label("No", exact=True).check()
    page.get_by_label("Number (days)").fill("500")  # beyond the question's maximum of 365
    status = page.get_by_role("status").filter(has_text="not saved")
    expect(status).to_have_text(
        "1 answer was not saved: “How many days would a full restore take?”: "
        "Expected a number from 0 to 365. The other 1 was saved.",
        timeout=10000,
    )
    days = page.get_by_role("group", name="How many days would a full restore take?")
    expect(days.get_by_role("alert")).to_have_text("Expected a number from 0 to 365.")

    page.reload()  # nothing typed in the valid answer was lost
    offline = page.get_by_role("group", name="Is there an offline copy of your backups?")
    expect(offline.get_by_label("No", exact=True)).to_be_checked()
    expect(page.get_by_label("Number (days)")).to_have_value("")
