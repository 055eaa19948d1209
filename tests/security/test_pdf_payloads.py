"""PDF renderer payloads typed into an assessment, downloaded through
the web (``report.pdf`` and the history report of a moved assessment): literal text, no file
embedded but result.json, and not one request to the canary server on 127.0.0.1.
"""

from __future__ import annotations

from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AssessmentMove

from ..conftest import fetch_report
from ..report.conftest import pdf_reader
from .helpers import open_section, save_ok, squeeze, start

FILE_PAYLOADS = [  # make WeasyPrint embed or show a local file
    '<link rel="attachment" href="file:///etc/passwd">',
    '<base href="file:///"><a rel="attachment" href="etc/passwd">x</a>',
    "<a rel=attachment href=file:///etc/hostname>h</a>",
    '<img src="file:///etc/passwd">',
    '<object data="file:///etc/passwd"></object>',
    '<iframe src="file:///etc/passwd"></iframe>',
]


def fetch_payloads(canary: str) -> list[str]:  # make WeasyPrint fetch a URL
    return [
        f'<img src="{canary}/img">',
        f"<style>@import url({canary}/import);</style>",
        f'<p style="background:url({canary}/background)">bg</p>',
        f"<style>@font-face{{font-family:x;src:url({canary}/font)}}</style>",
        f'<svg><image href="{canary}/svg"/></svg>',
        f'<link rel="stylesheet" href="{canary}/css">',
        f'<embed src="{canary}/embed">',
        f'<video poster="{canary}/poster"></video>',
        f'<base href="{canary}/"><img src="relative">',
        f"{canary}/redirect",
    ]


def type_everywhere(world, payloads: list[str]) -> tuple[int, int]:
    """Officer A puts the payloads in the title, scope, comments and a text answer of an
    assessment on version 1, then moves it to version 2. Returns (assessment, move id)."""
    officer = world.officer_a
    joined = "\n".join(payloads)
    assessment = start(
        officer, payloads[0][:200], joined, question_set_version_id=world.question_set
    )
    profile = (
        open_section(officer, assessment, "profile").set("a:p-ot", "yes").set("c:p-ot", joined)
    )
    save_ok(officer, assessment, "profile", profile)
    form = open_section(officer, assessment, "a").set("a:a1", "no").set("c:a1", joined)
    save_ok(officer, assessment, "a", form.set("a:a2", "1").set("c:a2", joined))
    form = open_section(officer, assessment, "b").set("a:b1", "x").set("c:b1", joined)
    save_ok(officer, assessment, "b", form.set("a:b2", "40").set("c:b2", joined))
    form = open_section(officer, assessment, "c").set("a:c1", "no").set("c:c1", joined)
    save_ok(officer, assessment, "c", form.set("a:c2", joined).set("c:c2", joined))
    token = officer.csrf_token(f"/assessments/{assessment}/move")
    moved = officer.post(
        f"/assessments/{assessment}/move",
        data={"version": world.question_set_v2, "csrf_token": token},
    )
    assert moved.status_code == 302
    return assessment, move_of(world, assessment)


def move_of(world, assessment: int) -> int:
    app = world.officer_a.application
    with app.app_context():
        return get_session().scalar(
            select(AssessmentMove.id).where(AssessmentMove.assessment_id == assessment)
        )


def reports(world, assessment: int, move: int) -> list[bytes]:
    pdfs = []
    for path in (
        f"/assessments/{assessment}/report.pdf",
        f"/assessments/{assessment}/history/{move}/report.pdf",
    ):
        response = fetch_report(world.officer_a, path)
        assert response.mimetype == "application/pdf"
        pdfs.append(response.data)
    return pdfs


def assert_literal_and_inert(pdf: bytes, payloads: list[str]) -> None:
    reader = pdf_reader(pdf)
    text = squeeze(" ".join(page.extract_text() for page in reader.pages))
    for payload in payloads:
        assert squeeze(payload) in text, f"{payload!r} is not literal text in the PDF"
    assert list(reader.attachments) == ["result.json"]
    assert "root:x:0:0" not in text
    assert b"root:x:0:0" not in pdf


def link_targets(pdf: bytes) -> list[str]:
    """The URIs of every link annotation of the PDF."""
    uris = []
    for page in pdf_reader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def test_file_payloads_embed_nothing(world, worker):
    assessment, move = type_everywhere(world, FILE_PAYLOADS)
    for pdf in reports(world, assessment, move):
        assert_literal_and_inert(pdf, FILE_PAYLOADS)
        assert not [uri for uri in link_targets(pdf) if uri.startswith("file:")]


def test_fetch_payloads_reach_no_server(world, canary, worker):
    payloads = fetch_payloads(canary.url)
    assessment, move = type_everywhere(world, payloads)
    for pdf in reports(world, assessment, move):
        assert_literal_and_inert(pdf, payloads)
        assert not [uri for uri in link_targets(pdf) if "127.0.0.1" in uri]  # not even a link
    assert canary.hits == []
    # control: the canary does count requests made to it
    import urllib.request

    with urllib.request.urlopen(f"{canary.url}/control", timeout=5) as answer:  # noqa: S310
        assert answer.status == 200
    assert canary.hits == ["/control"]
