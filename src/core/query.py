"""The core's own query types: values only, translated by each adapter (no SQL or Mongo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from core.queryable import Filter, Match, Queryable
from core.seek import Seek
from core.usernames import username_key

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class SortField(StrEnum):
    """Fields an item listing may be ordered by; an allow-list so nothing else reaches a backend."""

    TITLE = "title"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@dataclass(frozen=True, slots=True)
class Sort:
    """One ordering key: a field a resource's Queryable names."""

    field: str
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> Sort:
        """Read `title` / `-created_at`; the resource's Queryable refuses a field it lacks."""
        return cls(text.removeprefix("-"), text.startswith("-"))


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """Filter, order and page of an item listing; ties are broken by id so pages are stable."""

    title: str | None = None
    title_prefix: str | None = None
    owner_id: str | None = None
    created_at_min: datetime | None = None
    created_at_max: datetime | None = None
    sort: tuple[Sort, ...] = (Sort(SortField.CREATED_AT),)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    seek: Seek | None = None


ITEM_QUERY = Queryable(
    filters=(
        Filter("title"),
        Filter("title_prefix", "title", Match.PREFIX),
        Filter("owner_id"),
        Filter("created_at_min", "created_at", Match.MIN),
        Filter("created_at_max", "created_at", Match.MAX),
    ),
    sorts=frozenset(SortField),
    unique=frozenset({SortField.TITLE}),
)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results; `after` and `before` are the places of its next and previous pages.

    An offset page counts every match in `total`; a seek page knows neither its offset nor
    the total (both None), since either would cost a read of everything before it.
    """

    items: list[T] = field(default_factory=list)
    total: int | None = 0
    limit: int = DEFAULT_LIMIT
    offset: int | None = 0
    after: tuple[Any, ...] | None = None  # a next page starts after this place
    before: tuple[Any, ...] | None = None  # a previous page ends before this place


@dataclass(frozen=True, slots=True)
class UserQuery:
    """A page of users ordered by username in any letter case."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: tuple[Sort, ...] = (Sort("username_key"),)
    seek: Seek | None = None


USER_QUERY = Queryable(
    sorts=frozenset({"username_key"}),
    derived={"username_key": lambda user: username_key(user.username)},
    unique=frozenset({"username_key"}),
)
