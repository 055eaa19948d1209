"""Pressing Save while a background save is still on its way.

The form then waits for that save's reply (which brings the new revisions) before it posts:
otherwise the server would see the officer's own change as a colleague's and refuse the form.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import start_assessment

pytestmark = pytest.mark.slow


def test_save_waits_for_the_background_save_on_its_way(live_server, seeded, page):
    log_in(page, live_server, seeded.officer_a)
    start_assessment(page, live_server, "Quick hands")
    held = []  # the background save, held back until released
    page.route("**/autosave", lambda route: held.append(route))
    with page.expect_request("**/autosave"):
        page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
            "Yes", exact=True
        ).check()
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r) if r.method == "POST" and r.url.endswith("/profile") else None,
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saving")).to_be_visible()
    assert posts == [], "the form was posted while the background save was on its way"

    held[0].continue_()
    expect(page.get_by_role("status").filter(has_text="All answers saved.")).to_be_visible()
    assert len(posts) == 1
    expect(page.get_by_role("alert")).to_have_count(0)  # no conflict with oneself
    expect(
        page.get_by_role("group", name="Do you operate cranes or other OT?").get_by_label(
            "Yes", exact=True
        )
    ).to_be_checked()
    expect(page).to_have_url(re.compile(r"/sections/profile$"))
