"""The administrator's organisation and user lists a page at a time: an installation of
thousands of organisations shows 50 to a page, in name (or e-mail) order, with no row twice
or missed, the user list's organisation filter kept on every page's links."""

from __future__ import annotations

import html
import re

import pytest

from assessment.db import get_session
from assessment.services import organisations, users
from assessment.web.common.pagination import PER_PAGE

from ..conftest import PASSWORD
from .test_query_counts import counting

MANY = 120
ORG_ROW = re.compile(r'href="/admin/organisations/(\d+)/edit"')
USER_ROW = re.compile(r'href="/admin/users/(\d+)/edit"')
LINK = re.compile(r'<a href="([^"]+)" rel="(prev|next)"')


@pytest.fixture
def many(app, people) -> None:
    """120 more organisations (names in mixed case) and 120 more officers of Aldport."""
    with app.app_context():
        session = get_session()
        for i in range(MANY):
            organisations.create_organisation(
                session,
                None,
                organisations.OrganisationData(
                    f"{'ORG' if i % 2 else 'org'} {i:03d}", "terminal", "NL"
                ),
            )
            users.create_user(
                session,
                None,
                users.UserData(
                    f"extra{i:03d}@aldport.example", f"Extra {i}", "officer", people.org_a
                ),
                PASSWORD,
                fast_hash=True,
            )


def read(client, url: str, row: re.Pattern) -> tuple[list[int], dict[str, str], str]:
    """The page's row ids, its prev/next links and its HTML."""
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    links = {rel: html.unescape(href) for href, rel in LINK.findall(text)}
    return [int(i) for i in row.findall(text)], links, text


def walk(client, url: str, row: re.Pattern) -> list[tuple[list[int], str]]:
    """Every page from ``url`` on, following the "Next page" links."""
    pages = []
    while True:
        ids, links, text = read(client, url, row)
        pages.append((ids, text))
        if "next" not in links:
            return pages
        url = links["next"]


def test_the_organisation_list_pages_through_every_organisation_once(client, people, many):
    client.login(people.admin)
    total = MANY + 2
    pages = walk(client, "/admin/organisations", ORG_ROW)
    assert [len(ids) for ids, _ in pages] == [PER_PAGE, PER_PAGE, total - 2 * PER_PAGE]
    assert f"1–50 of {total} (page 1 of 3)" in pages[0][1]
    assert f"101–{total} of {total} (page 3 of 3)" in pages[2][1]
    every = [i for ids, _ in pages for i in ids]
    assert len(set(every)) == len(every) == total
    with client.application.app_context():
        in_order = [org.id for org, _ in organisations.list_organisations(get_session())]
    assert every == in_order  # name order, whatever the case, across pages
    _, links, _ = read(client, "/admin/organisations?page=3", ORG_ROW)
    assert links == {"prev": "/admin/organisations?page=2"}
    assert read(client, "/admin/organisations?page=999", ORG_ROW)[0] == pages[2][0]


def test_a_page_of_organisations_counts_each_ones_users(app, people, many):
    with app.app_context():
        session = get_session()
        paged = [
            (org.id, n)
            for offset in range(0, MANY + 2, PER_PAGE)
            for org, n in organisations.page_of_organisations(session, offset, PER_PAGE)
        ]
        assert paged == [(org.id, n) for org, n in organisations.list_organisations(session)]
        assert dict(paged)[people.org_a] == MANY + 1
        assert dict(paged)[people.org_b] == 1
        assert organisations.count_organisations(session) == MANY + 2


def test_the_user_list_pages_through_every_user_once(client, people, many):
    client.login(people.admin)
    total = MANY + 3
    pages = walk(client, "/admin/users", USER_ROW)
    assert [len(ids) for ids, _ in pages] == [PER_PAGE, PER_PAGE, total - 2 * PER_PAGE]
    assert f"1–50 of {total} (page 1 of 3)" in pages[0][1]
    every = [i for ids, _ in pages for i in ids]
    with client.application.app_context():
        assert every == [u.id for u in users.list_users(get_session())]  # e-mail order


def test_the_user_lists_filter_is_kept_on_every_page(client, people, many):
    client.login(people.admin)
    total = MANY + 1  # Aldport's officers: not Bexley's, not the administrator
    first = f"/admin/users?organisation={people.org_a}"
    pages = walk(client, first, USER_ROW)
    assert [len(ids) for ids, _ in pages] == [PER_PAGE, PER_PAGE, total - 2 * PER_PAGE]
    assert f"1–50 of {total} (page 1 of 3)" in pages[0][1]
    assert all("Accounts of Port of Aldport." in text for _, text in pages)
    every = [i for ids, _ in pages for i in ids]
    with client.application.app_context():
        assert every == [u.id for u in users.list_users(get_session(), people.org_a)]
    _, links, _ = read(client, f"{first}&page=2", USER_ROW)
    assert links == {
        "prev": f"/admin/users?organisation={people.org_a}&page=1",
        "next": f"/admin/users?organisation={people.org_a}&page=3",
    }
    _, links, text = read(client, f"/admin/users?organisation={people.org_b}", USER_ROW)
    assert links == {}
    assert "officer.b@bexley.example" in text


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("/admin/organisations", "/admin/organisations?page=3"),
        ("/admin/users", "/admin/users?page=3"),
    ],
)
def test_every_page_runs_the_same_queries(app, client, people, many, first, last):
    client.login(people.admin)
    counts = []
    for path in (first, last, first):
        with counting(app) as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert len(set(counts)) == 1, counts
