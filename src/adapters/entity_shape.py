"""An entity's fields as a storage adapter sees them: plain values, sets, lists, timestamps."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import NoneType, UnionType
from typing import Any, Generic, TypeVar, get_args, get_origin, get_type_hints

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class EntityShape(Generic[E]):
    """The fields of a dataclass entity and which of them hold sets, lists, dates or decimals."""

    entity: type[E]
    names: tuple[str, ...]
    sets: frozenset[str]
    lists: frozenset[str]
    datetimes: frozenset[str]
    dates: frozenset[str] = frozenset()
    decimals: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entity: type[E]) -> EntityShape[E]:
        """The shape read from the entity's type hints."""
        hints = get_type_hints(entity)
        names = tuple(each.name for each in dataclasses.fields(entity))  # type: ignore[arg-type]

        def holding(kind: type) -> frozenset[str]:
            return frozenset(n for n in names if _base(hints[n]) is kind)

        many = (holding(frozenset), holding(tuple))
        return cls(entity, names, *many, holding(datetime), holding(date), holding(Decimal))

    def values(self, entity: E) -> dict[str, Any]:
        """The stored values: a set as a sorted list, a tuple as a list (both JSON-ready)."""
        stored = {name: getattr(entity, name) for name in self.names}
        for name in self.sets:
            stored[name] = sorted(stored[name])
        for name in self.lists:
            stored[name] = list(stored[name])
        return stored

    def build(self, stored: Mapping[Any, Any]) -> E:
        """The entity from its stored values (a missing or null set or list reads as empty)."""
        if not (self.sets or self.lists):
            return self.entity(*map(stored.__getitem__, self.names))
        values = {name: stored[name] for name in self.names if name not in self.many}
        for name in self.sets:
            values[name] = frozenset(stored.get(name) or ())
        for name in self.lists:
            values[name] = tuple(stored.get(name) or ())
        return self.entity(**values)

    @property
    def many(self) -> frozenset[str]:
        """The fields holding several values."""
        return self.sets | self.lists


def _base(hint: Any) -> Any:
    """The type a hint names, its container for a generic, without `| None`."""
    if isinstance(hint, UnionType):
        hint = next(each for each in get_args(hint) if each is not NoneType)
    return get_origin(hint) or hint
