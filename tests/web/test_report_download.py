"""Downloading the PDF from the results page: headers, cache, isolation, limits."""

from __future__ import annotations

import pytest

from assessment.db import get_session
from assessment.models import Organisation
from assessment.services import reports

from ..report.conftest import pages_text
from .test_assessments import open_section, save, start

pytestmark = pytest.mark.slow


@pytest.fixture
def renders(monkeypatch):
    """Count real renders (the renderer itself runs unchanged)."""
    calls = []
    real = reports.render_pdf_bounded

    def counting(html, **kwargs):
        calls.append(len(html))
        return real(html, **kwargs)

    monkeypatch.setattr(reports, "render_pdf_bounded", counting)
    return calls


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def test_download_is_a_pdf_with_safe_headers(officer):
    assessment_id = start(officer)
    save(
        officer,
        assessment_id,
        "a",
        open_section(officer, assessment_id, "a")
        .set("a:a1", "no")
        .set("c:a1", "Backups sit on the office NAS."),
    )
    results = officer.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert f'href="/assessments/{assessment_id}/report.pdf"' in results
    response = officer.get(f"/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Port-of-Aldport-')
    assert disposition.endswith("-report.pdf")
    text = " ".join(pages_text(response.data))
    assert "Port of Aldport" in text
    assert "Backups sit on the office NAS." in text


def test_a_second_download_comes_from_the_cache_until_an_answer_changes(officer, renders):
    assessment_id = start(officer)
    url = f"/assessments/{assessment_id}/report.pdf"
    first = officer.get(url).data
    assert officer.get(url).data == first
    assert len(renders) == 1
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "yes"))
    changed = officer.get(url).data
    assert len(renders) == 2
    assert changed != first
    officer.submit(f"/assessments/{assessment_id}/complete")
    officer.get(url)
    assert len(renders) == 3  # the cover says "completed" now


def test_another_organisation_cannot_download(officer, people, make_client, renders):
    assessment_id = start(officer)
    intruder = make_client()
    intruder.login(people.officer_b)
    assert intruder.get(f"/assessments/{assessment_id}/report.pdf").status_code == 404
    assert renders == []


def test_downloads_are_rate_limited_per_user(app, officer, people, make_client):
    app.config["REPORT_LIMIT_PER_USER"] = "2 per minute"
    assessment_id = start(officer)
    url = f"/assessments/{assessment_id}/report.pdf"
    assert officer.get(url).status_code == 200
    assert officer.get(url).status_code == 200
    assert officer.get(url).status_code == 429
    admin = make_client()
    admin.login(people.admin)
    assert admin.get(url).status_code == 200  # other people are not held up


def test_a_hostile_organisation_name_cannot_break_the_header(app, officer, people):
    with app.app_context():
        session = get_session()
        session.get(Organisation, people.org_a).name = 'X"; \r\nSet-Cookie: a=b'
        session.commit()
    assessment_id = start(officer)
    response = officer.get(f"/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 200
    assert all("a=b" not in cookie for cookie in response.headers.getlist("Set-Cookie"))
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert disposition.startswith('attachment; filename="X-Set-Cookie-a-b-')
