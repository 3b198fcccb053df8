"""Cursor pages of every listing: the `cursor` parameter, `next` and `prev`, the `Link` header.

A listing pages by offset, as it always did, or by cursor: `next` and `prev` in each answer
(and as RFC 8288 links) name the pages beside it, and a cursor page costs the same wherever
it lies. A cursor is bound to its listing (resource, filters, sort) by its signature; `limit`
may change along a walk. Offset and cursor together are refused (400): a cursor says where
the page starts.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any

from flask import request, url_for
from pydantic import BaseModel, Field, create_model
from werkzeug.exceptions import BadRequest

from adapters.http.cursors import MAX_LENGTH, PageCursors
from core.query import Page
from core.seek import Seek

#: Query parameters that place a page; the rest (filters, sort) make the listing a cursor is for.
PLACING = {"limit", "offset", "cursor"}

CURSOR_RULE = (
    "Where the page starts: a `next` or `prev` of an earlier answer of this listing, with the "
    "same filters and sort. Not with `offset`."
)


@cache
def with_cursor(list_query: type[BaseModel]) -> type[BaseModel]:
    """The resource's query string model with the `cursor` parameter, under the same name."""
    cursor = Annotated[str | None, Field(max_length=MAX_LENGTH, description=CURSOR_RULE)]
    model: type[BaseModel] = create_model(
        list_query.__name__,
        __base__=list_query,
        __doc__=list_query.__doc__,
        cursor=(cursor, None),
    )
    return model


class ListingPages:
    """Reads the cursor of a listing request and writes the cursors and links of its answer."""

    def __init__(self, cursors: PageCursors, *, resource: str, endpoint: str) -> None:
        self._cursors = cursors
        self._resource = resource
        self._endpoint = endpoint

    def seek(self, params: BaseModel) -> Seek | None:
        """The seek the request's cursor names, None without one; 400 for a bad cursor."""
        cursor: str | None = getattr(params, "cursor", None)
        if cursor is None:
            return None
        if "offset" in request.args:
            raise BadRequest("offset and cursor: give one, a cursor says where the page starts")
        return self._cursors.read(cursor, resource=self._resource, scope=_scope(params))

    def answer(self, params: BaseModel, page: Page[Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The page's fields with `next` and `prev`, and its `Link` header when it has either."""
        scope = _scope(params)
        cursors = {
            "next": self._sign(page.after, backward=False, scope=scope),
            "prev": self._sign(page.before, backward=True, scope=scope),
        }
        fields = {
            "items": page.items,
            "total": page.total,
            "limit": page.limit,
            "offset": page.offset,
            **cursors,
        }
        kept = params.model_dump(exclude=PLACING, exclude_none=True) | {"limit": page.limit}
        links = [
            f'<{url_for(self._endpoint, **kept, cursor=cursor)}>; rel="{rel}"'
            for rel, cursor in cursors.items()
            if cursor is not None
        ]
        return fields, ({"Link": ", ".join(links)} if links else {})

    def _sign(self, position: tuple[Any, ...] | None, *, backward: bool, scope: str) -> str | None:
        if position is None:
            return None
        return self._cursors.sign(position, backward=backward, resource=self._resource, scope=scope)


def _scope(params: BaseModel) -> str:
    # What a cursor is for: every parameter but those that place the page, canonically.
    listing = params.model_dump(mode="json", exclude=PLACING)
    return json.dumps(listing, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
