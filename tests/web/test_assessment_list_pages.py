"""The assessment list a page at a time: an administrator of a large installation sees every
organisation's assessments, 50 to a page, newest change first, with no row twice or missed."""

from __future__ import annotations

import re

import pytest

from assessment import paths
from assessment.db import get_session
from assessment.passwords import hash_password
from assessment.services import seeding
from assessment.services.question_sets import import_question_set
from assessment.web.common.pagination import PER_PAGE

from ..conftest import PASSWORD

ROW = re.compile(r'<th scope="row"><a href="/assessments/(\d+)">')


@pytest.fixture
def many(app, people) -> None:
    """11 organisations with 5 assessments each: 55, two pages."""
    baseline = paths.shipped_question_sets()[0]
    with app.app_context():
        session = get_session()
        import_question_set(session, baseline.read_bytes(), baseline.name)
        seeding.seed(session, 11, 5, hash_password(PASSWORD, fast=True))


def listed(client, query: str = "") -> tuple[list[int], str]:
    response = client.get(f"/assessments/{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return [int(i) for i in ROW.findall(html)], html


def test_an_administrator_pages_through_every_assessment_once(client, people, many):
    client.login(people.admin)
    first, html = listed(client)
    assert len(first) == PER_PAGE
    assert "1–50 of 55 (page 1 of 2)" in html
    assert 'href="/assessments/?page=2" rel="next"' in html
    second, html = listed(client, "?page=2")
    assert len(second) == 5
    assert 'href="/assessments/?page=1" rel="prev"' in html
    assert not set(first) & set(second)
    assert len(set(first) | set(second)) == 55


def test_a_page_number_out_of_range_shows_the_first_or_the_last(client, people, many):
    client.login(people.admin)
    first, last = listed(client)[0], listed(client, "?page=2")[0]
    for page in ("0", "-3", "abc", "99999999999"):
        assert listed(client, f"?page={page}")[0] == first, page
    assert listed(client, "?page=7")[0] == last


def test_an_officer_sees_one_page_of_their_own_without_links(client, many):
    client.login("officer00003@seeded-port.example")
    ids, html = listed(client)
    assert len(ids) == 5
    assert 'rel="next"' not in html
    assert "Seeded port 00004" not in html
