"""A French administrator reviews a translation in the browser: in a draft copied from a
translated version, the question whose English text was edited is marked « à revoir »; the
administrator writes its new Dutch text beside the English one, saves, and the mark clears."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from assessment.db import get_session
from assessment.models import User

from ..web.test_set_translations import a_draft_with_an_edited_question, minimal_in_dutch
from .conftest import admin_log_in
from .helpers import assert_no_axe_violations, catalogue

pytestmark = pytest.mark.slow

fr = catalogue("fr")


def a_french_administrators_draft(app, admin_email: str) -> int:
    """The minimal set with its Dutch translation, copied to a draft whose backup question
    has a new English text; the administrator works in French."""
    draft = a_draft_with_an_edited_question(app, minimal_in_dutch(app))
    with app.app_context():
        session = get_session()
        session.execute(update(User).where(User.email == admin_email).values(language="fr"))
        session.commit()
    return draft


def test_a_french_administrator_reviews_a_changed_text_and_the_mark_clears(
    app, live_server, seeded, context
):
    draft = a_french_administrators_draft(app, seeded.admin)
    page = context.new_page()
    admin_log_in(page, live_server, seeded.admin)
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.goto(f"{live_server}/admin/question-sets/{draft}")
    page.locator("#translations").get_by_role("link", name="Nederlands").click()
    page.wait_for_url(re.compile(rf".*/admin/question-sets/{draft}/translations/nl$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Translation into %(language)s") % {"language": "néerlandais"}
    )
    waiting = "Pages and reports in this language show the base texts until no text is missing or"
    expect(page.locator("#translation-state")).to_contain_text(fr(waiting + " to review."))
    # The part holding the changed text says so in the list of parts; it opens that part.
    parts = page.get_by_role("navigation", name=fr("Parts of the question set"))
    backups = parts.get_by_role("listitem").filter(has=page.get_by_role("link", name="Backups"))
    to_review_badge = fr.plural("%(num)d to review", "%(num)d to review", 1) % {"num": 1}
    expect(backups).to_contain_text(to_review_badge)
    backups.get_by_role("link", name="Backups").click()
    page.wait_for_url(re.compile(r".*group=section(:|%3A)backups$"))
    to_review = page.locator("tr.translation-review")
    expect(to_review).to_have_count(1)
    expect(to_review.get_by_role("rowheader")).to_contain_text(fr("to review"))
    expect(to_review.locator("td").first).to_have_text("Is there an offline or immutable backup?")
    assert_no_axe_violations(page, "the translation page")

    field = to_review.get_by_role("textbox")
    expect(field).to_have_value("Is er een offline back-up?")
    field.fill("Is er een offline of onveranderbare back-up?")
    page.get_by_role("button", name=fr("Save the translation")).click()

    expect(page.locator(".flash-success")).to_contain_text(
        fr.plural("%(num)d text saved.", "%(num)d texts saved.", 1) % {"num": 1}
    )
    expect(page.locator("tr.translation-review")).to_have_count(0)
    expect(parts).not_to_contain_text(to_review_badge)
    expect(page.locator("#translation-state")).to_contain_text(
        fr("Every text is translated and reviewed: pages and reports in this language use it.")
    )
    saved = page.locator("tr", has=page.get_by_text("Is there an offline or immutable backup?"))
    expect(saved.get_by_role("textbox")).to_have_value(
        "Is er een offline of onveranderbare back-up?"
    )
