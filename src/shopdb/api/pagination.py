"""Keyset pagination: opaque, signed cursors and the ``Link: rel="next"`` header.

A cursor holds the key of the last row a page gave (and, for the event feed, more state)
and the name of the list it belongs to, signed with the app's secret: a tampered or
forged cursor, or one from another list, is a 400. No offset is ever used, so a deep page
costs what the first does and rows inserted meanwhile cannot shift a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from itsdangerous import BadData, URLSafeSerializer

from shopdb.api.problems import ApiProblem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR_LENGTH = 8192


class Cursors:
    """Signs and checks cursors with one secret."""

    def __init__(self, secret: bytes) -> None:
        self._serializer = URLSafeSerializer(secret, salt="shopdb-cursor")

    def dump(self, listing: str, state: Any) -> str:
        """A cursor for ``listing`` carrying ``state`` (JSON-serialisable)."""
        return str(self._serializer.dumps([listing, state]))

    def load(self, listing: str, token: str) -> Any:
        """The state a cursor carries.

        Raises:
            ApiProblem: 400, the cursor is malformed, tampered with, or from another list.
        """
        try:
            name, state = self._serializer.loads(token)
        except (BadData, ValueError, TypeError):
            raise _bad_cursor("the cursor is malformed or was altered") from None
        if name != listing:
            raise _bad_cursor(f"the cursor belongs to {name}, not {listing}")
        return state


def _bad_cursor(detail: str) -> ApiProblem:
    return ApiProblem(400, "bad-cursor", "Bad cursor", detail, parameter="cursor")


@dataclass(frozen=True)
class PageParams:
    """``?limit=`` and ``?cursor=`` as a route received them."""

    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="rows per page, at most 200")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR_LENGTH, description="next_cursor of the previous page"),
    ] = None,
) -> PageParams:
    """The pagination parameters every list takes."""
    return PageParams(limit, cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


def cursors(request: Request) -> Cursors:
    """The app's cursor signer."""
    signer: Cursors = request.app.state.cursors
    return signer


def after_key(request: Request, listing: str, page: PageParams) -> Any:
    """The state in ``page.cursor``, or None on the first page."""
    if page.cursor is None:
        return None
    return cursors(request).load(listing, page.cursor)


def next_page(
    request: Request, response: Response, listing: str, state: Any, has_more: bool
) -> str | None:
    """The next cursor (None without more rows); sets ``Link: rel="next"`` when there is one."""
    if not has_more:
        return None
    token = cursors(request).dump(listing, state)
    url = request.url.include_query_params(cursor=token)
    response.headers["Link"] = f'<{url}>; rel="next"'
    return token
