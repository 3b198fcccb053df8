"""A page from what a backend read: its items in the query's order and its next and previous places.

Every backend reads up to `limit + 1` entities in the query's fetch order, from the offset or
just past the seek position; the one beyond the limit only tells that another page follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from core.query import Page
from core.queryable import ListQuery, Queryable

T = TypeVar("T")


def page_of(
    queryable: Queryable, fetched: Sequence[T], query: ListQuery, *, total: int | None
) -> Page[T]:
    """The page of `fetched`; `total` counts every match (None on a seek page, which skips it)."""
    items, more = list(fetched[: query.limit]), len(fetched) > query.limit
    seek = query.seek
    if seek is not None and seek.backward:
        items.reverse()
    first = queryable.position(items[0], query) if items else None
    last = queryable.position(items[-1], query) if items else None
    if seek is None:
        # The entities a previous offset page would show lie before the first one shown.
        return Page(
            items=items,
            total=total,
            limit=query.limit,
            offset=query.offset,
            after=last if more else None,
            before=first if query.offset else None,
        )
    # A page reached by a seek always has its starting place behind it; the side it read
    # towards has more only when it read past the limit.
    return Page(
        items=items,
        total=None,
        limit=query.limit,
        offset=None,
        after=last if more or seek.backward else None,
        before=first if more or not seek.backward else None,
    )


def listing(queryable: Queryable, entities: Iterable[T], query: ListQuery) -> Page[T]:
    """The page of the query over entities held in Python: filters, seek, order and slice."""
    found = queryable.keyset(query)
    matching = [
        entity
        for entity in entities
        if queryable.matches(entity, query) and queryable.follows(entity, found)
    ]
    ordered = queryable.sorted(matching, query)
    if query.seek is not None:
        return page_of(queryable, ordered[: query.limit + 1], query, total=None)
    window = ordered[query.offset : query.offset + query.limit + 1]
    return page_of(queryable, window, query, total=len(ordered))
