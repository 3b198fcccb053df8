"""The core's ItemQuery as a Mongo filter and sort, and the same rules in Python for staged writes.

Strings compare by code point everywhere: MongoDB without a collation compares UTF-8 bytes,
whose order is code point order, as Python's is. Only this module writes operators, and only
around values that `equals` compares literally or `re.escape` quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from adapters.mongo.client import Document
from adapters.mongo.documents import MICROS
from adapters.mongo.guard import equals, plain
from core.entities import Item, User
from core.query import ItemQuery, SortField
from core.usernames import username_key

ASCENDING, DESCENDING = 1, -1
TIMESTAMPS = frozenset({SortField.CREATED_AT, SortField.UPDATED_AT})


def item_filter(query: ItemQuery) -> Document:
    """The filter selecting the items the query matches."""
    conditions: Document = {}
    if query.title is not None:
        conditions["title"] = equals(query.title, field="title")
    if query.title_prefix is not None:
        prefix = plain(query.title_prefix, field="title_prefix")
        # Anchored and case-sensitive, so the title index serves it; escaped, so "a.c" or
        # "a%" match literally.
        conditions.setdefault("$and", []).append({"title": {"$regex": "^" + re.escape(prefix)}})
    if query.owner_id is not None:
        conditions["owner_id"] = equals(query.owner_id, field="owner_id")
    return conditions


def item_sort(query: ItemQuery) -> list[tuple[str, int]]:
    """The sort keys of the query, each timestamp with its microseconds, then `_id`."""
    keys: list[tuple[str, int]] = []
    for key in query.sort:
        direction = DESCENDING if key.descending else ASCENDING
        keys.append((key.field.value, direction))
        if key.field in TIMESTAMPS:
            keys.append((key.field.value + MICROS, direction))
    return [*keys, ("_id", ASCENDING)]


def item_matches(query: ItemQuery) -> Callable[[Item], bool]:
    """Whether a staged item matches the query, by the rules `item_filter` gives the server."""

    def matches(item: Item) -> bool:
        return (
            (query.title is None or item.title == query.title)
            and (query.title_prefix is None or item.title.startswith(query.title_prefix))
            and (query.owner_id is None or item.owner_id == query.owner_id)
        )

    return matches


def sort_items(items: list[Item], query: ItemQuery) -> list[Item]:
    """Items in the order `item_sort` gives the server (stable sorts, last key first)."""
    ordered = sorted(items, key=lambda item: item.id)
    for key in reversed(query.sort):
        field = key.field.value
        ordered.sort(key=lambda item: getattr(item, field), reverse=key.descending)
    return ordered


USER_SORT: list[tuple[str, int]] = [("username_key", ASCENDING), ("_id", ASCENDING)]


def sort_users(users: list[User]) -> list[User]:
    """Users in the order USER_SORT gives the server."""
    return sorted(users, key=lambda user: (username_key(user.username), user.id))


def everything(_entity: Any) -> bool:
    """The matcher of a query without filters."""
    return True
