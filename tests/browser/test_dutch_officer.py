"""A Dutch officer works in Dutch from the login to the PDF: the browser asks for Dutch, the
assessment is started in Dutch, and the report's text and its /Lang are Dutch."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .helpers import catalogue, extra_context

pytestmark = pytest.mark.slow

nl = catalogue("nl")


def test_a_dutch_officer_gets_a_dutch_report(live_server, seeded, browser, request):
    from pypdf import PdfReader

    with extra_context(browser, request, "dutch", locale="nl-NL") as context:
        page = context.new_page()
        page.goto(f"{live_server}/login")
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        page.get_by_label(nl("E-mail")).fill(seeded.officer_a)
        page.get_by_label(nl("Password")).fill(PASSWORD)
        page.get_by_role("button", name=nl("Log in")).click()
        page.wait_for_url(re.compile(r".*/assessments/$"))

        page.goto(f"{live_server}/assessments/new")
        page.get_by_label(nl("Title"), exact=True).fill("Jaarlijkse check 2026")
        expect(page.get_by_label(nl("Language"), exact=True)).to_have_value("nl")
        page.get_by_role("button", name=nl("Start"), exact=True).click()
        page.wait_for_url(re.compile(r".*/sections/profile$"))

        page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
            "No", exact=True
        ).check()
        page.get_by_role("button", name=nl("Save and continue")).click()
        question = page.get_by_role("group", name="Is there an offline copy of your backups?")
        question.get_by_label("No", exact=True).check()
        question.get_by_label(nl("Comment")).fill("Back-ups staan op de NAS.")
        page.get_by_role("button", name=nl("Save and continue")).click()
        page.get_by_role("link", name=nl("Complete the assessment")).click()
        page.get_by_role("button", name=nl("Complete"), exact=True).click()

        link = page.get_by_role("link", name=nl("Download the PDF report"))
        expect(link).to_be_visible()
        answer = page.request.get(urljoin(page.url, link.get_attribute("href")), max_redirects=0)
        if answer.status != 200:
            link.click()
            page.wait_for_url(re.compile(r".*/reports/\d+$"))
            link = page.get_by_role("link", name=nl("Download the PDF report"))
            expect(link).to_be_visible(timeout=180_000)  # the page reloads itself meanwhile
        with page.expect_download() as download:
            link.click()
        pdf = PdfReader(download.value.path())

    assert pdf.trailer["/Root"]["/Lang"] == "nl"
    pages = [p.extract_text() for p in pdf.pages]
    text = " ".join(pages)
    assert "Jaarlijkse check 2026" in pages[0]
    assert nl("Executive summary") in text
    assert nl("Action plan") in text
    assert "Back-ups staan op de NAS." in text
    assert "Executive summary" not in text
