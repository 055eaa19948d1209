"""New recovery codes can be printed and downloaded (issue 17): they are stored only as hashes,
so the page that shows them carries the text file in its link (a ``data:`` URL)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from urllib.parse import unquote

import pyotp

from assessment.web.common.security import CONTENT_SECURITY_POLICY

from ..conftest import PASSWORD

CODE = re.compile(r"<li><code>([a-z2-9-]{14})</code></li>")
DOWNLOAD = re.compile(
    r'<a class="button button-secondary" href="(data:[^"]+)" '
    r'download="port-assess-recovery-codes.txt">Download as a text file</a>'
)


def new_codes_page(client, email: str) -> str:
    """An officer turning MFA on from their account page: the page with their new codes."""
    client.login(email)
    setup = client.get("/account/mfa").get_data(as_text=True)
    secret = re.search(r'data-key="([A-Z2-7]+)"', setup).group(1)
    response = client.submit("/account/mfa", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def downloaded_text(page: str) -> str:
    link = DOWNLOAD.search(page)
    assert link, "no download link"
    href = html.unescape(link.group(1))
    prefix = "data:text/plain;charset=utf-8,"
    assert href.startswith(prefix)
    return unquote(href[len(prefix) :], encoding="utf-8")


def test_the_file_holds_the_account_the_date_the_rule_and_every_code(client, people):
    page = new_codes_page(client, people.officer_a)
    codes = CODE.findall(page)
    assert len(codes) == 10
    text = downloaded_text(page)
    lines = text.split("\r\n")
    assert f"Account: {people.officer_a}" in lines
    assert f"Made on: {datetime.now(UTC):%Y-%m-%d}" in lines
    assert any("Each code works once" in line for line in lines)
    assert not any(line.startswith("Installation:") for line in lines)  # none is configured
    assert lines[-11:-1] == codes  # one a line, in the page's order


def test_the_installation_name_is_on_the_sheet_and_in_the_file(app, client, people):
    app.config["INSTALLATION_NAME"] = "Port <Authority> & Co"
    page = new_codes_page(client, people.officer_a)
    assert "<dd>Port &lt;Authority&gt; &amp; Co</dd>" in page
    assert "Installation: Port <Authority> & Co" in downloaded_text(page).split("\r\n")


def test_the_page_has_a_print_button_its_script_and_the_sheet(client, people):
    page = new_codes_page(client, people.officer_a)
    assert re.search(r"<button type=\"button\"[^>]* data-print hidden>Print</button>", page)
    assert '<script src="/static/print-button.js" defer></script>' in page
    assert f"<dd>{people.officer_a}</dd>" in page
    with client.get("/static/print-button.js") as script:
        assert script.status_code == 200
        assert "window.print()" in script.get_data(as_text=True)
    # The page's own scripts only: the button works under the policy, with no inline script.
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "<script>" not in page


def test_new_codes_from_the_account_page_come_with_their_file_too(client, people):
    client.login(people.admin)
    page = client.submit(
        "/account/mfa/recovery", {"password": PASSWORD}, form_page="/account/mfa"
    ).get_data(as_text=True)
    codes = CODE.findall(page)
    assert len(codes) == 10
    text = downloaded_text(page)
    assert f"Account: {people.admin}" in text
    assert all(code in text.split("\r\n") for code in codes)


def test_the_codes_in_the_file_log_in(app, client, people, make_client):
    """What is downloaded is what works: a code from the file completes a login."""
    page = new_codes_page(client, people.officer_a)
    code = downloaded_text(page).split("\r\n")[-2]
    other = make_client()
    step = other.submit("/login", {"email": people.officer_a, "password": PASSWORD})
    assert step.headers["Location"] == "/login/mfa"
    assert other.submit("/login/mfa", {"code": code}).headers["Location"] == "/home"
