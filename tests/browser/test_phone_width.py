"""At phone width (390 px) the officer's pages fit the screen: nothing scrolls sideways, and on a
section page the questions come before the list of sections."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import extra_context, shot, start_assessment

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}


def overflow(page) -> list[str]:
    """The page's sideways overflow in pixels, and the elements that stick out to the right."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > width) {
                out.push(`page ${document.documentElement.scrollWidth} > ${width}`);
            }
            for (const el of document.querySelectorAll('body *')) {
                const box = el.getBoundingClientRect();
                const scroller = el.closest('.table-scroll');
                if (box.width && box.right > width + 1 && !scroller) {
                    const name = `${el.tagName.toLowerCase()}.${el.className}`;
                    out.push(`${name} right ${Math.round(box.right)}`);
                }
            }
            return out.slice(0, 10);
        }"""
    )


@pytest.fixture
def phone(browser, request):
    with extra_context(browser, request, "phone", viewport=PHONE) as context:
        yield context


def test_section_and_results_pages_fit_a_phone(live_server, seeded, phone):
    page = phone.new_page()
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server)
    page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
        "Yes", exact=True
    ).check()
    page.goto(page.url.replace("/sections/profile", "/sections/backups"))
    page.get_by_role("group", name="Is there an offline copy of your backups?").get_by_label(
        "No", exact=True
    ).check()
    expect(page.get_by_role("status").filter(has_text="All changes saved")).to_be_visible(
        timeout=10000
    )
    shot(page, "phone-section")
    assert overflow(page) == []
    # The questions come first on a phone; the list of sections follows them.
    question_top = page.locator("fieldset.question").first.bounding_box()["y"]
    toc_top = page.get_by_role("navigation", name="Sections").bounding_box()["y"]
    assert question_top < toc_top

    page.goto(re.sub(r"/sections/.*$", "/results", page.url))
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    shot(page, "phone-results")
    assert overflow(page) == []
