"""Shared steps for the browser tests: axe-core checks, accessible names, heading order, focus.

axe-core is vendored under vendor/ (see vendor/README.md for the version): the tests need nothing
from the internet. Screenshots of key pages are written only when ASSESSMENT_TEST_SCREENSHOTS
names a folder (for a person to look at them); the tests never depend on them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from babel.support import Translations
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from assessment.i18n import TRANSLATIONS_DIR

from .conftest import OUTPUT

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# Roles of the controls a person operates; each needs an accessible name.
CONTROL_ROLES = {
    "button",
    "checkbox",
    "combobox",
    "listbox",
    "menuitemcheckbox",
    "menuitemradio",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
}


def start_assessment(page: Page, base: str, title: str = "Browser check") -> str:
    """Start an assessment on the journey set (with the mouse); returns its profile page URL."""
    page.goto(f"{base}/assessments/new")
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r".*/sections/profile$"))
    return page.url


def saved_status(page: Page):
    """The autosave status line once it says everything is saved."""
    return page.get_by_role("status").filter(has_text=re.compile(r"All changes saved at"))


# axe-core


def inject_axe(page: Page) -> None:
    """Load the vendored axe.min.js into the page.

    The app's Content-Security-Policy (script-src 'self') refuses inline scripts, which is what
    ``add_script_tag(path=...)`` would add; so the file is served from the page's own origin
    under a path the app does not have, and the policy stays on while axe-core runs.
    """
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    url = f"{origin}/__tests__/axe.min.js"
    page.unroute(url)  # once per page is enough, however many times it navigates
    page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=url)


def axe_violations(page: Page, impacts: set[str] = BLOCKING) -> list[dict]:
    """Run axe-core with the WCAG 2.1 A and AA rules; the violations of the given impacts."""
    inject_axe(page)
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.map(String).join(' '), impact: n.impact,
                    summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    found = []
    for violation in results:
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in impacts]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}")
            summary = (node["summary"] or "").replace("\n", "\n        ")
            lines.append(f"        {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {where} ({page.url}):\n" + describe_violations(violations)


# The accessibility tree, as Chromium computes it for screen readers


def _ax_nodes(page: Page) -> list[dict]:
    session = page.context.new_cdp_session(page)
    try:
        session.send("Accessibility.enable")
        return session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()


def controls_without_name(page: Page) -> list[str]:
    """Form controls and buttons that a screen reader would announce without a name."""
    missing = []
    for node in _ax_nodes(page):
        if node.get("ignored"):
            continue
        role = (node.get("role") or {}).get("value")
        name = ((node.get("name") or {}).get("value") or "").strip()
        if role in CONTROL_ROLES and not name:
            missing.append(f"{role} (backend node {node.get('backendDOMNodeId')})")
    return missing


def headings(page: Page) -> list[tuple[int, str]]:
    """The headings a screen reader lists, in document order: (level, text)."""
    return [
        (int(level), text)
        for level, text in page.evaluate(
            """() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]')]
                .filter(h => h.checkVisibility() && !h.closest('[aria-hidden=true]'))
                .map(h => [h.getAttribute('aria-level') || h.tagName.slice(1),
                           h.textContent.trim().replace(/\\s+/g, ' ')])"""
        )
    ]


def heading_problems(page: Page) -> list[str]:
    """One h1 first, and no level skipped on the way down (h2 then h4 is a skip)."""
    found = headings(page)
    if not found:
        return ["no headings"]
    problems = []
    if found[0][0] != 1:
        problems.append(f"the first heading is h{found[0][0]} {found[0][1]!r}, not an h1")
    if sum(1 for level, _ in found if level == 1) != 1:
        problems.append("not exactly one h1: " + repr([t for lvl, t in found if lvl == 1]))
    for (before, _), (level, text) in zip(found, found[1:], strict=False):
        if level > before + 1:
            problems.append(f"h{before} is followed by h{level} {text!r}")
    return problems


# Keyboard


def focus_is_visible(page: Page) -> bool:
    """The focused element draws an outline or a box-shadow (as :focus-visible styles it)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || (s.boxShadow && s.boxShadow !== 'none');
        }"""
    )


def focused_description(page: Page) -> str:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return 'nothing';
            const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
            return `${el.tagName.toLowerCase()}#${el.id} ${el.name || ''} ` +
                `"${(label || el.textContent || el.value || '').trim().slice(0, 60)}"`;
        }"""
    )


# The focused element's middle is on screen and not under anything else (the sticky save bar).
FOCUS_UNCOVERED = """() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (!r.width || !r.height || x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
        return false;
    }
    const hit = document.elementFromPoint(x, y);
    return !!hit && (hit === el || el.contains(hit) ||
                     [...(el.labels || [])].some((label) => label.contains(hit)));
}"""


def assert_focus_visible(page: Page) -> None:
    """The focused element is styled as focused and can be seen (after any scrolling)."""
    where = focused_description(page)
    assert focus_is_visible(page), f"no focus outline on {where} ({page.url})"
    try:
        page.wait_for_function(FOCUS_UNCOVERED, timeout=2000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"the focused {where} is off screen or covered ({page.url})") from None


def press_until_focused(page: Page, target, key: str = "Tab", limit: int = 80) -> int:
    """Press Tab (or Shift+Tab) until ``target`` has the focus, checking that every element
    passed on the way shows where the focus is. Returns the number of presses."""
    expect(target).to_be_attached()
    handle = target.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if page.evaluate("(el) => el === document.activeElement", handle):
            return presses
    raise AssertionError(f"{limit} presses of {key} did not reach {target} ({page.url})")


# More browser contexts (another officer, no JavaScript), kept like conftest's on failure


@contextlib.contextmanager
def extra_context(browser, request, name: str, **options) -> Iterator[BrowserContext]:
    """A browser context besides the ``context`` fixture's; on failure its pages' screenshots
    and HTML go under test-output/<test>.<name>/, as the fixture does for its own."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)
    failed = False
    try:
        yield context
    except BaseException:
        failed = True  # used in a test's body: the test is failing
        raise
    finally:
        report = getattr(request.node, "rep_call", None)  # used in a fixture: after the call
        if failed or (report is not None and report.failed):
            # A folder of its own: the fixture's teardown empties the test's folder.
            folder = OUTPUT / re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{request.node.nodeid}.{name}")
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for index, page in enumerate(context.pages):
                page.screenshot(path=str(folder / f"page-{index}.png"), full_page=True)
                (folder / f"page-{index}.html").write_text(page.content(), "utf-8")
        context.close()


# Screenshots for a person to look at


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    folder = os.environ.get("ASSESSMENT_TEST_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    file = re.sub(r"[^A-Za-z0-9_.]+", "-", name).strip("-").lower() + ".png"
    page.screenshot(path=str(Path(folder) / file), full_page=full_page)


def download_report(page: Page, timeout_ms: float = 180_000):
    """Get the PDF from the results page as a person does: the link either downloads a report
    already made, or opens its status page, which refreshes itself until the report is ready
    and then offers the download. Returns Playwright's Download."""
    link = page.get_by_role("link", name="Download the PDF report")
    answer = page.request.get(urljoin(page.url, link.get_attribute("href")), max_redirects=0)
    if answer.status == 200:
        with page.expect_download() as download:
            link.click()
        return download.value
    assert answer.status == 303, answer.status
    link.click()
    page.wait_for_url(re.compile(r".*/reports/\d+$"))
    ready = page.get_by_role("link", name="Download the PDF report")
    expect(ready).to_be_visible(timeout=timeout_ms)  # the page reloads itself meanwhile
    with page.expect_download() as download:
        ready.click()
    return download.value


# Interface words in another language, from the catalogues the app uses


def catalogue(language: str):
    """The catalogue's translation of an interface message in ``language``, failing on a
    message it does not translate (so a test never passes on the English by accident)."""
    found = Translations.load(str(TRANSLATIONS_DIR), [language])

    def translate(message: str) -> str:
        translated = found.ugettext(message)
        assert translated != message, f"no {language} for {message!r}"
        return translated

    translate.plural = found.ungettext
    return translate
