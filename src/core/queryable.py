"""What a listing means, once for every backend: a resource's filters, sort keys and tie-break.

The in-memory adapter applies these rules directly; SQL and Mongo translate the same
description into their own conditions, and the Repository contract proves the three agree.
Strings compare by code point, as Python compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from core.errors import ValidationError
from core.seek import Keyset, Seek, keyset

if TYPE_CHECKING:
    from core.query import Sort

TIE_BREAK = "id"


class Match(StrEnum):
    """How a filter's value compares with the field."""

    EXACT = "exact"
    PREFIX = "prefix"
    MIN = "min"  # the field is at least the value
    MAX = "max"  # the field is at most the value


@dataclass(frozen=True, slots=True)
class Filter:
    """The query attribute `param` compared with the entity field `field` (`param` by default)."""

    param: str
    field: str = ""
    match: Match = Match.EXACT

    def __post_init__(self) -> None:
        if not self.field:
            object.__setattr__(self, "field", self.param)

    def accepts(self, stored: Any, value: Any) -> bool:
        """Whether a stored field value passes this filter set to `value`."""
        if self.match is Match.PREFIX:
            return isinstance(stored, str) and stored.startswith(value)
        if self.match is Match.MIN:
            return bool(stored >= value)
        if self.match is Match.MAX:
            return bool(stored <= value)
        return bool(stored == value)


class ListQuery(Protocol):
    """What every listing query holds beside its filters."""

    @property
    def sort(self) -> tuple[Sort, ...]: ...
    @property
    def limit(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def seek(self) -> Seek | None: ...


@dataclass(frozen=True, slots=True)
class Queryable:
    """A resource's queryable fields; `derived` computes stored fields the entity lacks."""

    filters: tuple[Filter, ...] = ()
    sorts: frozenset[str] = frozenset()
    derived: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # Sort fields no two entities share: nothing after one of them can break a tie, and
    # leaving the id out lets the field's own index serve the order on every server.
    unique: frozenset[str] = frozenset()

    def active(self, query: object) -> list[tuple[Filter, Any]]:
        """The query's filters that are set, each with its value."""
        pairs = ((each, getattr(query, each.param)) for each in self.filters)
        return [(each, value) for each, value in pairs if value is not None]

    def order(self, query: ListQuery) -> list[tuple[str, bool]]:
        """(field, descending) pairs of the query's sort, then the id that breaks ties.

        The order ends at the first unique field, where no tie is left.
        """
        keys = [(key.field, key.descending) for key in query.sort]
        unknown = [name for name, _ in keys if name not in self.sorts]
        if unknown:
            raise ValidationError(
                "invalid query", {"sort": f"not a sort field: {', '.join(unknown)}"}
            )
        for n, (name, _) in enumerate(keys):
            if name in self.unique:
                return keys[: n + 1]
        return [*keys, (TIE_BREAK, False)]

    def fetch_order(self, query: ListQuery) -> list[tuple[str, bool]]:
        """The order a backend reads in: the query's, reversed when a page seeks backward."""
        order = self.order(query)
        if query.seek is not None and query.seek.backward:
            return [(name, not descending) for name, descending in order]
        return order

    def keyset(self, query: ListQuery) -> Keyset | None:
        """The condition of the query's seek, None when it pages by offset."""
        return None if query.seek is None else keyset(self.order(query), query.seek)

    def position(self, entity: object, query: ListQuery) -> tuple[Any, ...]:
        """The entity's place in the query's order: its sort key values, the id last."""
        return tuple(self.value(entity, name) for name, _ in self.order(query))

    def value(self, entity: object, name: str) -> Any:
        """The stored value of a field of the entity, derived ones included."""
        compute = self.derived.get(name)
        return compute(entity) if compute is not None else getattr(entity, name)

    def matches(self, entity: object, query: object) -> bool:
        """Whether the entity passes every filter the query sets."""
        return next(self.matching((entity,), query), None) is not None

    def matching(self, entities: Iterable[Any], query: object) -> Iterator[Any]:
        """The entities that pass every filter the query sets."""
        active = self.active(query)  # read once per listing, not once per entity
        value = self.value
        for entity in entities:
            if all(each.accepts(value(entity, each.field), wanted) for each, wanted in active):
                yield entity

    def follows(self, entity: object, found: Keyset | None) -> bool:
        """Whether the entity lies past the seek position (always, without a seek)."""
        return found is None or found.holds(lambda name: self.value(entity, name))

    def sorted(self, entities: Iterable[Any], query: ListQuery) -> list[Any]:
        """The entities in the query's fetch order (stable sorts, last key first)."""
        ordered = list(entities)
        for name, descending in reversed(self.fetch_order(query)):
            ordered.sort(key=lambda entity: self.value(entity, name), reverse=descending)
        return ordered
