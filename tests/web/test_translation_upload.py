"""An administrator uploads a whole translation file (one a translator returned) on the
translation page: checked as the CLI import checks it, refused with every problem at its
file:line and nothing stored, or stored in one transaction that raises the revision."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent, QuestionSetTranslation, QuestionSetVersion, User
from assessment.services import drafts

from ..forms import Form
from .test_editor import multipart
from .test_set_translations import FOLDER, a_draft_with_an_edited_question, minimal_in_dutch

DUTCH = (FOLDER / "minimal.nl.yaml").read_bytes()


@pytest.fixture
def minimal(app, people) -> int:
    return minimal_in_dutch(app)


@pytest.fixture
def admin(people, make_client):
    client = make_client()
    client.login(people.admin)
    return client


def page_url(version_id: int, language: str = "nl") -> str:
    return f"/admin/question-sets/{version_id}/translations/{language}"


def upload(client, version_id: int, content: bytes, name: str = "upload.yaml", language="nl"):
    """Upload as the page's form does: its CSRF token, its action, a multipart body."""
    page = client.get(page_url(version_id, language)).get_data(as_text=True)
    form = Form(page, "translation-upload-form")
    action = html.unescape(re.search(r'<form[^>]*action="([^"]*)"[^>]*upload-form', page).group(1))
    body, content_type = multipart({"csrf_token": form.get("csrf_token")[0]}, name, content)
    return client.post(action, data=body, content_type=content_type)


def stored(app, version_id: int, language: str = "nl") -> tuple | None:
    """The stored translation's state: (text, hash, revision, machine-drafted)."""
    with app.app_context():
        row = get_session().scalar(
            select(QuestionSetTranslation).where(
                QuestionSetTranslation.version_id == version_id,
                QuestionSetTranslation.language == language,
            )
        )
        if row is None:
            return None
        return row.source_yaml, row.content_hash, row.revision, row.machine_drafted


def translation_events(app) -> list[dict]:
    with app.app_context():
        events = get_session().scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "question_set.translation")
            .order_by(AuditEvent.id)
        )
        return [e.details for e in events]


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_valid_file_replaces_the_texts_and_an_older_page_cannot_save_over_it(
    app, minimal, admin, make_client, people
):
    before = stored(app, minimal)
    older = make_client()  # another administrator, with the editor open on the old text
    older.login(people.admin)
    opened = Form(older.get(page_url(minimal)).get_data(as_text=True), "translation-form")
    changed = DUTCH.replace(b"Minimale set", b"De minimale set").replace(
        b"language: nl\n", b"language: nl\nmachine_drafted: true\n"
    )
    response = upload(admin, minimal, changed, "agency-return.nl.yaml")
    assert response.status_code == 302
    page = text_of(admin.get(response.headers["Location"]))
    assert "agency-return.nl.yaml stored: 43 texts. No text is missing or to review." in page
    assert "The file marks it as machine-drafted" in page
    assert "machine-drafted, not yet confirmed" in page
    assert "De minimale set" in page
    text, _hash, revision, drafted = stored(app, minimal)
    assert "De minimale set" in text
    assert revision == before[2] + 1
    assert drafted
    assert translation_events(app)[-1] == {
        "language": "nl",
        "file": "agency-return.nl.yaml",
        "machine_drafted": True,
    }
    field = next(n for n, _v in opened.fields if n.startswith("t-"))
    refused = older.post(page_url(minimal), data=opened.set(field, "Mijn set").data())
    assert refused.status_code == 409
    assert "nothing was saved" in refused.get_data(as_text=True)
    assert "De minimale set" in stored(app, minimal)[0]


def test_the_same_file_again_changes_nothing(app, minimal, admin):
    before = stored(app, minimal)
    events = len(translation_events(app))
    response = upload(admin, minimal, DUTCH, "minimal.nl.yaml")
    assert response.status_code == 302
    page = text_of(admin.get(response.headers["Location"]))
    assert "minimal.nl.yaml holds this translation exactly as it is stored" in page
    assert stored(app, minimal) == before
    assert len(translation_events(app)) == events


def test_a_file_with_a_missing_choice_label_is_refused_with_its_lines(app, minimal, admin):
    before = stored(app, minimal)
    events = len(translation_events(app))
    broken = DUTCH.replace(
        b'choices: {"yes": {label: "Ja"}, "no": {label: "Nee"}}', b'choices: {"yes": {label: "Ja"}}'
    ).replace(b"  ot: {title: OT}\n", b"  ot: {title: OT}\n  no-such-section: {title: Nee}\n")
    response = upload(admin, minimal, broken, "agency.nl.yaml")
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was stored: 2 problems." in page
    assert "agency.nl.yaml:27: section 'no-such-section' title: not a text of minimal" in page
    assert (
        "minimal v1:37: question 'has-ot' choice 'no' label has no 'nl' translation in "
        "agency.nl.yaml" in page
    )
    assert 'id="upload" open' in page
    assert stored(app, minimal) == before
    assert len(translation_events(app)) == events


def test_a_file_in_another_language_than_the_page_is_refused(app, minimal, admin):
    response = upload(admin, minimal, DUTCH, "minimal.nl.yaml", language="fr")
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was stored: 1 problem." in page
    assert (
        "minimal.nl.yaml:4: language: this file translates into 'nl'; this page is the "
        "translation into 'fr'" in page
    )
    assert stored(app, minimal, "fr") is None


def test_an_oversized_file_is_refused_with_a_clear_message(app, minimal, admin):
    before = stored(app, minimal)
    response = upload(admin, minimal, b"# padding\n" * (5 * 1024 * 1024 // 10))
    assert response.status_code == 413
    assert "larger than allowed" in response.get_data(as_text=True)
    # Over the reader's limit but within the request's: refused by the reader, with the limit.
    response = upload(admin, minimal, b"# padding\n" * (2 * 1024 * 1024 // 10 + 100))
    assert response.status_code == 422
    assert "upload.yaml:1: file is 2.0 MB; the limit is 2 MB" in text_of(response)
    assert stored(app, minimal) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"translation_of: minimal\nset: {title: [open\n", "upload.yaml:3: not valid YAML"),
        (
            b"translation_of: minimal\nset: !!python/object/apply:os.system [echo hi]\n",
            "upload.yaml:2: tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are "
            "not allowed",
        ),
        (b"translation_of: minimal\nset: {title: \xff}\n", "upload.yaml:2: the file is not valid"),
        (b"a: &a [x, x]\nb: [*a, *a]\n", "upload.yaml:2: aliases (*name) are not allowed"),
        (b"- just a list\n", "upload.yaml:1: a translation is a mapping"),
    ],
)
def test_a_file_that_is_not_safe_yaml_is_refused_cleanly(app, minimal, admin, content, expected):
    before = stored(app, minimal)
    response = upload(admin, minimal, content)
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was stored: 1 problem." in page
    assert expected in page
    assert "Traceback" not in page
    assert stored(app, minimal) == before


def test_no_file_chosen_is_asked_for_again(app, minimal, admin):
    page = admin.get(page_url(minimal)).get_data(as_text=True)
    token = Form(page, "translation-upload-form").get("csrf_token")[0]
    response = admin.post(page_url(minimal) + "/upload", data={"csrf_token": token})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_a_draft_accepts_a_file_and_its_texts_are_then_reviewed(app, minimal, admin):
    draft = a_draft_with_an_edited_question(app, minimal)
    assert "1 text to review." in admin.get(page_url(draft)).get_data(as_text=True)
    new = DUTCH.replace(b"version: 1\n", b"version: 2\n").replace(
        b"Is er een offline back-up?", b"Is er een offline of onveranderbare back-up?"
    )
    response = upload(admin, draft, new, "minimal.nl.yaml")
    assert response.status_code == 302
    page = text_of(admin.get(response.headers["Location"]))
    assert "No text is missing or to review." in page
    assert "Every text is translated and reviewed" in page
    assert "Is er een offline of onveranderbare back-up?" in stored(app, draft)[0]


def test_a_retired_version_refuses_an_upload(app, minimal, admin):
    page = admin.get(page_url(minimal)).get_data(as_text=True)
    token = Form(page, "translation-upload-form").get("csrf_token")[0]
    with app.app_context():
        session = get_session()
        actor = session.scalar(select(User).where(User.role == "admin"))
        drafts.set_retired(session, actor, session.get(QuestionSetVersion, minimal), True)
    body, content_type = multipart({"csrf_token": token}, "minimal.nl.yaml", DUTCH)
    response = admin.post(page_url(minimal) + "/upload", data=body, content_type=content_type)
    assert response.status_code == 404


def test_an_officer_cannot_upload(app, minimal, client, people):
    before = stored(app, minimal)
    client.login(people.officer_a)
    token = client.csrf_token("/account/password")
    body, content_type = multipart({"csrf_token": token}, "minimal.nl.yaml", DUTCH)
    response = client.post(page_url(minimal) + "/upload", data=body, content_type=content_type)
    assert response.status_code == 403
    assert stored(app, minimal) == before


def test_an_upload_without_the_csrf_token_is_refused(app, minimal, admin):
    before = stored(app, minimal)
    changed = DUTCH.replace(b"Minimale set", b"De minimale set")
    body, content_type = multipart({}, "minimal.nl.yaml", changed)
    response = admin.post(page_url(minimal) + "/upload", data=body, content_type=content_type)
    assert response.status_code == 400
    assert "The form had expired or was not sent from this site" in text_of(response)
    body, content_type = multipart({"csrf_token": "forged"}, "minimal.nl.yaml", changed)
    response = admin.post(page_url(minimal) + "/upload", data=body, content_type=content_type)
    assert response.status_code == 400
    assert stored(app, minimal) == before


def test_the_downloaded_file_goes_to_a_translator_and_comes_back(app, minimal, admin):
    """The round trip with an agency: the stored translation downloads as a file that uploads
    back unchanged; a text emptied (one still to write) is refused at its line."""
    response = admin.get(page_url(minimal) + "/file")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert ".nl.yaml" in response.headers["Content-Disposition"]
    sent = response.get_data()
    assert b"language: nl" in sent
    before = stored(app, minimal)
    assert "nothing changed" in text_of(admin.get(upload(admin, minimal, sent).headers["Location"]))
    assert stored(app, minimal) == before
    emptied = re.sub(rb"(title: )Minimale set", rb"\1''", sent, count=1)
    assert emptied != sent
    refused = upload(admin, minimal, emptied, "back.nl.yaml")
    assert refused.status_code == 422
    assert re.search(r"back\.nl\.yaml:\d+: .*give the translated text", text_of(refused))
    assert stored(app, minimal) == before


def test_a_language_not_started_downloads_every_text_empty(app, minimal, admin):
    sent = admin.get(page_url(minimal, "fr") + "/file").get_data(as_text=True)
    assert "language: fr" in sent
    assert "Minimale set" not in sent
    assert "''" in sent  # each text there, to be written
