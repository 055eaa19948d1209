"""Kept HTML across processes. Each gunicorn worker keeps a section's drawn questions in its own
memory (``web/common/fragments``), under a key read from the database: the assessment's
revision and the organisation's ``names_revision``. What makes a kept page stale must therefore
reach every worker through the database, never through one process's memory: here a colleague
is renamed in another process (this test's), and every worker shows the new name at once."""

from __future__ import annotations

import contextlib

from ..conftest import PASSWORD
from ..http_client import WebClient
from ..web.test_question_html_kept_per_state import rename_person

LOADS = 12  # new connections each: the kernel spreads them over both workers


def section_pages(base: str, email: str, url: str) -> list[str]:
    pages = []
    for _ in range(LOADS):
        with contextlib.closing(WebClient(base)) as client:
            client.login(email, PASSWORD)
            pages.append(client.page(url))
    return pages


def test_a_colleague_renamed_elsewhere_shows_at_once_on_every_worker(
    app, server, people, officers, shared_assessment
):
    url = f"/assessments/{shared_assessment}/sections/controls"
    with contextlib.closing(WebClient(server)) as colleague:
        colleague.login(officers[1], PASSWORD)
        base = colleague.revisions(shared_assessment, "controls")["q01"]
        saved = colleague.autosave(shared_assessment, "controls", "q01", "yes", "", base)
        assert saved.status == 200, saved.body
    kept = section_pages(server, people.officer_a, url)  # drawn, then kept, by the workers
    assert all("Last changed by Colleague 1" in page for page in kept)

    rename_person(app, officers[1], "C. Berg")

    after = section_pages(server, people.officer_a, url)
    assert all("Last changed by C. Berg" in page for page in after)
    assert not any("Colleague 1" in page for page in after)
