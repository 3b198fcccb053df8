"""The core's own query type: values only, translated by each adapter (no SQL or Mongo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class SortField(StrEnum):
    """Fields a listing may be ordered by; an allow-list so nothing else reaches a backend."""

    TITLE = "title"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@dataclass(frozen=True, slots=True)
class Sort:
    """One ordering key."""

    field: SortField
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> Sort:
        """Read `title` / `-created_at`; raises ValueError for a field outside the allow-list."""
        descending = text.startswith("-")
        return cls(SortField(text.removeprefix("-")), descending)


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """Filter, order and page of an item listing; ties are broken by id so pages are stable."""

    title: str | None = None
    title_prefix: str | None = None
    owner_id: str | None = None
    sort: tuple[Sort, ...] = (Sort(SortField.CREATED_AT),)
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results with the total number of matches."""

    items: list[T] = field(default_factory=list)
    total: int = 0
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True, slots=True)
class UserQuery:
    """A page of users ordered by username."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
