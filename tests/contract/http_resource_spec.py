"""What a resource supplies to run the HTTP resource contract: URL, bodies, unique fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.helpers import unique

Body = dict[str, Any]


@dataclass(frozen=True)
class HttpResourceSpec:
    """A resource as HTTP clients see it; each `new()` and `change()` is valid and unique."""

    name: str
    url: str
    id_parameter: str  # the path parameter, named in a 422's details
    new: Callable[[], Body]  # a create body
    change: Callable[[], Body]  # a change body giving new values (no `version`)
    same: Callable[[Body], Body]  # a change body restating what the answer shows
    unique: tuple[str, ...] = ()  # fields a second entity may not repeat (409)
    # query parameter -> the value of it that finds this answer's entity and no other
    filters: Mapping[str, Callable[[Body], str]] | None = None
    sorts: tuple[str, ...] = ("created_at",)
    owned: bool = True  # the creator owns what it creates (its `owner_id`)
    permission: str = ""  # the permission writing needs, when not owned
    # body field or query parameter -> "date" or "date-time", for those written as such text
    dated: Mapping[str, str] | None = None

    def __str__(self) -> str:
        return self.name


ITEMS = HttpResourceSpec(
    name="items",
    url="/api/items",
    id_parameter="item_id",
    new=lambda: {"title": unique("new")},
    change=lambda: {"title": unique("changed")},
    same=lambda item: {"title": item["title"]},
    unique=("title",),
    filters={"title": lambda item: item["title"], "title_prefix": lambda item: item["title"][:-1]},
    sorts=("title", "created_at", "updated_at"),
)

#: Every resource served by the resource blueprint; each runs the contract on every backend.
RESOURCES = (ITEMS,)
