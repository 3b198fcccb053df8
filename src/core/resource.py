"""A resource described once: its entity, query, fields and who may change it.

Storage adapters, the HTTP schemas and the generic service read this description, so a resource
is a few declarations plus its genuinely specific rules. The declaration is also the key a unit
of work hands its repository out by: `uow.repository(NOTES)` is a `Repository[Note, NoteQuery]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

from core.fields import Field, Kind
from core.queryable import Filter, Match, Queryable

E = TypeVar("E")
Q = TypeVar("Q")

TIMESTAMPS = ("created_at", "updated_at")
RANGED = frozenset({Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME})


@dataclass(frozen=True)
class ResourceType(Generic[E, Q]):
    """A resource: `name` is its plural (the URL and table), `singular` names one entity.

    `owned`: the creator owns an entity and may change it; others need `permission`. A resource
    that is not owned may be written only with `permission`. `public_reads`: listing and reading
    need no token.
    """

    name: str
    singular: str
    entity: type[E]
    query: type[Q]
    fields: tuple[Field, ...]
    owned: bool = True
    permission: str = ""
    public_reads: bool = True
    default_sort: str = "created_at"
    extra_filters: tuple[Filter, ...] = ()

    @property
    def write_permission(self) -> str:
        """The permission that lets a caller change what others own (or anything, unowned)."""
        return self.permission or f"{self.name}:admin"

    def field(self, name: str) -> Field:
        """The declared field of that name; KeyError when there is none."""
        for each in self.fields:
            if each.name == name:
                return each
        raise KeyError(name)

    @property
    def unique(self) -> tuple[str, ...]:
        """The fields no two entities may share."""
        return tuple(each.name for each in self.fields if each.unique)

    @property
    def sorts(self) -> tuple[str, ...]:
        """The fields a listing may be ordered by, timestamps included."""
        return (*(each.name for each in self.fields if each.sort), *TIMESTAMPS)

    @cached_property
    def filters(self) -> tuple[Filter, ...]:
        """Exact match per filter field, a prefix for text, a range for numbers and dates."""
        found: list[Filter] = []
        for each in self.fields:
            if not each.filter:
                continue
            found.append(Filter(each.name))
            if each.kind is Kind.STR:
                found.append(Filter(f"{each.name}_prefix", each.name, Match.PREFIX))
            if each.kind in RANGED:
                found.append(Filter(f"{each.name}_min", each.name, Match.MIN))
                found.append(Filter(f"{each.name}_max", each.name, Match.MAX))
        return (*found, *self.extra_filters)

    @cached_property
    def queryable(self) -> Queryable:
        """What a listing of this resource means, for every backend."""
        unique = frozenset(each.name for each in self.fields if each.sort and each.unique)
        return Queryable(filters=self.filters, sorts=frozenset(self.sorts), unique=unique)
