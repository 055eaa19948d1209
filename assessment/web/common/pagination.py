"""Pages of a long list: ``?page=N`` read safely, and what the page's links need.

A list that grows with the installation (every organisation's assessments, for an
administrator) is read one page at a time, ``LIMIT``/``OFFSET`` on an indexed order, so a page
costs the same at 5 and at 5,000 rows. Templates show it with ``templates/_pagination.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Pagination:
    number: int  # from 1
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def first_item(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last_item(self) -> int:
        return min(self.offset + self.per_page, self.total)

    def url(self, number: int) -> str:
        """This page's URL with ``page=number`` (its other query arguments kept)."""
        args = request.args.to_dict() | {"page": number}
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def requested_page() -> int:
    """``?page=`` as a number from 1; anything else (absent, not a number, 0, huge) is 1."""
    number = request.args.get("page", type=int)
    return number if number is not None and 1 <= number <= MAX_PAGE else 1


def paginate(total: int, per_page: int = PER_PAGE) -> Pagination:
    """The requested page of ``total`` items; past the last page is the last page."""
    wanted = Pagination(requested_page(), per_page, total)
    return Pagination(min(wanted.number, wanted.pages), per_page, total)
