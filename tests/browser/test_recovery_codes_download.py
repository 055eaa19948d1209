"""Recovery codes kept on paper or in a file, in Chromium (issue 17): the download link works
without JavaScript under the app's Content-Security-Policy, the Print button prints only the
sheet, and the enrolment QR code reaches the screen on white with its quiet zone."""

from __future__ import annotations

import io
from pathlib import Path

import pyotp
import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import log_in
from .helpers import extra_context

pytestmark = pytest.mark.slow


def enrol(page, base: str) -> list[str]:
    """Turn MFA on from the account page, as a person does; the codes the page shows."""
    page.goto(f"{base}/account/mfa")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("The 6-digit code your app shows now").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    return codes


def test_the_downloaded_file_holds_every_code_shown_without_javascript(
    live_server, people, browser, request
):
    with extra_context(browser, request, "no-js", java_script_enabled=False) as context:
        page = context.new_page()
        log_in(page, live_server, people.officer_a)
        codes = enrol(page, live_server)
        expect(page.get_by_role("button", name="Print")).to_be_hidden()  # it needs a script
        with page.expect_download() as info:
            page.get_by_role("link", name="Download as a text file").click()
        download = info.value
        assert download.failure() is None
        assert download.suggested_filename == "port-assess-recovery-codes.txt"
        text = Path(download.path()).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert f"Account: {people.officer_a}" in lines
    assert any(line.startswith("Made on: 20") for line in lines)
    assert any("Each code works once" in line for line in lines)
    assert [line for line in lines if line in codes] == codes


def test_print_shows_only_the_sheet_with_large_codes_one_a_line(live_server, people, page):
    log_in(page, live_server, people.officer_a)
    codes = enrol(page, live_server)

    # The button (shown by its script) opens the browser's print dialogue.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("() => window.printed") == 1

    page.emulate_media(media="print")
    for hidden in (
        page.locator(".site-header"),
        page.locator(".site-footer"),
        page.get_by_role("heading", name="Your recovery codes"),
        page.get_by_role("link", name="Download as a text file"),
        page.get_by_role("link", name="I have kept them: continue"),
    ):
        expect(hidden).to_be_hidden()
    expect(page.get_by_text(people.officer_a, exact=True)).to_be_visible()
    shown = page.locator(".recovery-codes li")
    assert shown.all_inner_texts() == codes
    style = shown.first.evaluate(
        "e => { const s = getComputedStyle(e); return [s.fontFamily, s.fontSize]; }"
    )
    assert "monospace" in style[0]
    assert float(style[1].removesuffix("px")) >= 28  # 22 pt
    tops = [shown.nth(i).bounding_box()["y"] for i in range(len(codes))]
    assert tops == sorted(set(tops))  # each on a line of its own


def test_the_qr_code_is_drawn_on_white_with_four_modules_around_it(live_server, people, page):
    log_in(page, live_server, people.officer_a)
    page.goto(f"{live_server}/account/mfa")
    qr = page.locator("figure.qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    width = int(page.evaluate("() => document.querySelector('figure.qr svg').width.baseVal.value"))
    assert (box["width"], box["height"]) == (width, width)  # shown whole, not cropped
    image = Image.open(io.BytesIO(qr.screenshot())).convert("RGB")
    scale = 5  # pixels a module (services/mfa.py), at this page's zoom of 1
    quiet = 4 * scale
    pixels = image.load()
    size = image.width
    border = [
        pixels[x, y]
        for x in range(size)
        for y in range(size)
        if min(x, y) < quiet or max(x, y) >= size - quiet
    ]
    assert set(border) == {(255, 255, 255)}
    # The finder patterns start right after the quiet zone, in three corners.
    for x, y in ((quiet, quiet), (size - quiet - 1, quiet), (quiet, size - quiet - 1)):
        assert pixels[x, y] == (0, 0, 0), (x, y)
