"""A French administrator reviews a translation in the browser: in a draft copied from a
translated version, the question whose English text was edited is marked « à revoir »; the
administrator writes its new Dutch text beside the English one, saves, and the mark clears."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select, update

from assessment.db import get_session
from assessment.i18n import TRANSLATIONS_DIR
from assessment.models import QuestionSetVersion, User
from assessment.questionset import editing as edit
from assessment.services import drafts, set_translations

from ..conftest import import_question_set
from .conftest import admin_log_in
from .helpers import assert_no_axe_violations

pytestmark = pytest.mark.slow

FRENCH = Translations.load(str(TRANSLATIONS_DIR), ["fr"])
FOLDER = Path(__file__).resolve().parents[1] / "data" / "translations"


def fr(message: str) -> str:
    """The catalogue's French for an interface message (failing if it has none)."""
    translated = FRENCH.ugettext(message)
    assert translated != message, f"no French for {message!r}"
    return translated


def a_draft_with_an_edited_question(app, admin_email: str) -> int:
    """The minimal set with its Dutch translation, copied to a draft whose backup question
    has a new English text; the administrator works in French."""
    version_id = import_question_set(app, str(FOLDER / "minimal.yaml"))
    with app.app_context():
        session = get_session()
        version = session.get(QuestionSetVersion, version_id)
        data = (FOLDER / "minimal.nl.yaml").read_bytes()
        set_translations.store_translation(session, version, data, "minimal.nl.yaml")
        admin = session.scalar(select(User).where(User.email == admin_email))
        draft = drafts.copy_to_draft(session, admin, version)
        content = drafts.data_of(draft)
        section, question = edit.find_question(content, "backup-offline")
        question["text"] = "Is there an offline or immutable backup?"
        change = edit.put_question(section["id"], question, "backup-offline")
        drafts.apply_edit(session, admin, draft, change, what="test")
        session.execute(update(User).where(User.id == admin.id).values(language="fr"))
        session.commit()
        return draft.id


def test_a_french_administrator_reviews_a_changed_text_and_the_mark_clears(
    app, live_server, seeded, context
):
    draft = a_draft_with_an_edited_question(app, seeded.admin)
    page = context.new_page()
    admin_log_in(page, live_server, seeded.admin)
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.goto(f"{live_server}/admin/question-sets/{draft}")
    page.locator("#translations").get_by_role("link", name="Nederlands").click()
    page.wait_for_url(re.compile(rf".*/admin/question-sets/{draft}/translations/nl$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Translation into %(language)s") % {"language": "néerlandais"}
    )
    to_review = page.locator("tr.translation-review")
    expect(to_review).to_have_count(1)
    expect(to_review.get_by_role("rowheader")).to_contain_text(fr("to review"))
    expect(to_review.locator("td").first).to_have_text("Is there an offline or immutable backup?")
    waiting = "Pages and reports in this language show the base texts until no text is missing or"
    expect(page.locator("#translation-state")).to_contain_text(fr(waiting + " to review."))
    assert_no_axe_violations(page, "the translation page")

    field = to_review.get_by_role("textbox")
    expect(field).to_have_value("Is er een offline back-up?")
    field.fill("Is er een offline of onveranderbare back-up?")
    page.get_by_role("button", name=fr("Save the translation")).click()

    expect(page.locator(".flash-success")).to_contain_text(
        FRENCH.ungettext("%(num)d text saved.", "%(num)d texts saved.", 1) % {"num": 1}
    )
    expect(page.locator("tr.translation-review")).to_have_count(0)
    expect(page.locator("#translation-state")).to_contain_text(
        fr("Every text is translated and reviewed: pages and reports in this language use it.")
    )
    saved = page.locator("tr", has=page.get_by_text("Is there an offline or immutable backup?"))
    expect(saved.get_by_role("textbox")).to_have_value(
        "Is er een offline of onveranderbare back-up?"
    )
