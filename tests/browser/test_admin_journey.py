"""The administrator's journey in a real browser, from login (with the second factor) to a
published new version, and what officers see afterwards."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import admin_log_in, log_in
from .helpers import download_report

pytestmark = pytest.mark.slow


def test_admin_edits_publishes_and_officers_see_the_new_version(
    live_server, seeded, context, browser
):
    page = context.new_page()
    admin_log_in(page, live_server, seeded.admin)

    # An organisation and its officer.
    page.goto(f"{live_server}/admin/organisations/new")
    page.get_by_label("Name").fill("Port of Cedarhaven")
    page.get_by_label("Type").select_option("port_facility")
    page.get_by_label("Country").select_option("DE")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name=re.compile("Port of Cedarhaven"))).to_be_visible()
    page.get_by_role("link", name="Add officer to Port of Cedarhaven").click()
    page.get_by_label("E-mail").fill("anna@cedarhaven.example")
    page.get_by_label("Name", exact=True).fill("Anna Cedar")
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Account anna@cedarhaven.example created.")).to_be_visible()

    # The officer starts an assessment on version 1 and answers one question.
    officer_context = browser.new_context()
    officer = officer_context.new_page()
    officer.goto(f"{live_server}/login")
    officer.get_by_label("E-mail").fill("anna@cedarhaven.example")
    officer.get_by_label("Password").fill("a long enough passphrase")
    officer.get_by_role("button", name="Log in").click()
    # The administrator chose that password: the officer replaces it before anything else.
    expect(officer.get_by_text("An administrator set your password.")).to_be_visible()
    officer.get_by_label("Current password").fill("a long enough passphrase")
    officer.get_by_label("New password", exact=True).fill("the officer's own passphrase")
    officer.get_by_label("Repeat the new password").fill("the officer's own passphrase")
    officer.get_by_role("button", name="Change password").click()
    officer.wait_for_url(re.compile(r".*/assessments/$"))
    officer.goto(f"{live_server}/assessments/new")
    officer.get_by_label("Title").fill("Before the change")
    officer.get_by_role("button", name="Start").click()
    officer.goto(officer.url.replace("/profile", "/backups"))
    question = officer.get_by_role("group", name="Is there an offline copy of your backups?")
    question.get_by_label("Yes", exact=True).check()
    officer.get_by_role("button", name="Save", exact=True).click()
    old_assessment = officer.url.split("/sections/")[0]

    # The administrator copies version 1 to a draft, edits a question and a score.
    page.goto(f"{live_server}/admin/question-sets/")
    page.get_by_role("button", name="Copy to a draft (version 1)").click()
    expect(page.get_by_role("heading", name=re.compile("Ready to publish"))).to_be_visible()
    page.get_by_role("link", name="Edit question b-offline").click()
    page.get_by_label("Question", exact=True).fill("Is a copy of your backups kept offline?")
    page.get_by_label("Score (0-1), row 2").fill("0.2")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_text("Saved: question 'b-offline'.")).to_be_visible()

    page.get_by_role("link", name="Preview").click()
    page.get_by_role("link", name="Backups").click()
    expect(page.get_by_text("Is a copy of your backups kept offline?")).to_be_visible()

    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Publish as version 2").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 2 of 'journey' is published")).to_be_visible()

    # Officers now start on version 2; the old assessment keeps version 1 and its text.
    officer.goto(f"{live_server}/assessments/new")
    expect(officer.get_by_label("Question set")).to_contain_text("Journey set (version 2)")
    officer.goto(f"{old_assessment}/sections/backups")
    expect(
        officer.get_by_role("group", name="Is there an offline copy of your backups?")
    ).to_be_visible()
    officer.goto(f"{old_assessment}/results")
    download = download_report(officer)
    assert download.suggested_filename.endswith("-report.pdf")
    report = " ".join(p.extract_text() for p in PdfReader(download.path()).pages)
    report = " ".join(report.split())  # lines wrap where the table column ends
    assert "Is there an offline copy of your backups?" in report  # version 1's wording
    assert "Is a copy of your backups kept offline?" not in report
    officer_context.close()


def test_officers_cannot_open_the_editor(live_server, seeded, page):
    log_in(page, live_server, seeded.officer_a)
    response = page.goto(f"{live_server}/admin/question-sets/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
