"""The in-memory repository of any resource: writes staged on top of the committed rows."""

from __future__ import annotations

import builtins
import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from adapters.memory.store import Table
from core.entities import Versioned
from core.errors import ConcurrentChange, Conflict, NotFound
from core.paging import listing
from core.query import Page
from core.queryable import ListQuery, Queryable
from core.resource import ResourceType

E = TypeVar("E", bound=Versioned)
Q = TypeVar("Q", bound=ListQuery)
Key = tuple[str, Any]


@dataclass(frozen=True, slots=True)
class MemoryResource:
    """How a resource is kept in memory: its name, queryable fields and unique fields."""

    name: str
    queryable: Queryable
    unique: tuple[str, ...] = ()

    @classmethod
    def declared(cls, resource: ResourceType[Any, Any]) -> MemoryResource:
        """The in-memory keeping of a declared resource: all it needs is in the declaration."""
        return cls(resource.singular, resource.queryable, unique=resource.unique)


class InMemoryRepository(Generic[E, Q]):
    """Entities keyed by id with optional unique fields; changes stay staged until commit."""

    def __init__(self, table: Table, resource: MemoryResource) -> None:
        self._table = table
        self._resource = resource
        self._name = resource.name
        self._staged: dict[str, E | None] = {}  # id -> new row, None when deleted
        self._staged_unique: dict[Key, str | None] = {}  # key -> id, None when released

    def add(self, entity: E) -> None:
        """Stage a new entity."""
        if self._find(entity.id) is not None:
            raise Conflict(f"{self._name} {entity.id} already exists")
        self._stage(entity, previous=None)

    def add_many(self, entities: Iterable[E]) -> int:
        """Stage many new entities."""
        count = 0
        for entity in entities:
            self.add(entity)
            count += 1
        return count

    def get(self, entity_id: str) -> E:
        """The entity or NotFound."""
        entity = self._find(entity_id)
        if entity is None:
            raise NotFound(f"{self._name} {entity_id} not found")
        return entity

    def get_many(self, ids: Sequence[str]) -> builtins.list[E]:
        """The entities among these ids that this unit sees."""
        found = (self._find(entity_id) for entity_id in dict.fromkeys(ids))
        return [entity for entity in found if entity is not None]

    def scan(self, after: str | None = None, *, limit: int) -> builtins.list[E]:
        """The next entities in id order, staged ones included."""
        following = (each for each in self._visible() if after is None or each.id > after)
        return heapq.nsmallest(limit, following, key=lambda each: each.id)

    def list(self, query: Q) -> Page[E]:
        """Filter, seek, order by the query's keys then id, and slice."""
        return listing(self._resource.queryable, self._visible(), query)

    def count(self, query: Q) -> int:
        """How many entities match the filters."""
        return sum(1 for _ in self._matching(query))

    def update(self, entity: E) -> E:
        """Stage the entity with its version bumped, if the stored version matches."""
        current = self.get(entity.id)
        if current.version != entity.version:
            raise ConcurrentChange(f"{self._name} {entity.id} was changed concurrently")
        stored: E = replace(entity, version=entity.version + 1)  # type: ignore[type-var]
        self._stage(stored, previous=current)
        return stored

    def delete(self, entity_id: str, *, expected_version: int | None = None) -> None:
        """Stage the removal."""
        current = self.get(entity_id)
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentChange(f"{self._name} {entity_id} was changed concurrently")
        for key in self._keys(current):
            self._staged_unique[key] = None
        self._staged[entity_id] = None

    def apply(self) -> None:
        """Move the staged changes into the committed table."""
        for entity_id, entity in self._staged.items():
            if entity is None:
                self._table.rows.pop(entity_id, None)
            else:
                self._table.rows[entity_id] = entity
        for key, owner in self._staged_unique.items():
            if owner is None:
                self._table.unique.pop(key, None)
            else:
                self._table.unique[key] = owner
        self.discard()

    def discard(self) -> None:
        """Forget the staged changes."""
        self._staged.clear()
        self._staged_unique.clear()

    def find_unique(self, name: str, value: Any) -> E | None:
        """The entity whose unique field `name` holds `value`, if any."""
        owner = self._owner_of((name, value))
        return None if owner is None else self._find(owner)

    def _keys(self, entity: E) -> builtins.list[Key]:
        value = self._resource.queryable.value
        return [(name, value(entity, name)) for name in self._resource.unique]

    def _stage(self, entity: E, *, previous: E | None) -> None:
        keys = self._keys(entity)
        for key in keys:
            owner = self._owner_of(key)
            if owner is not None and owner != entity.id:
                raise Conflict(f"{self._name} {key[1]!r} already exists")
        if previous is not None:
            for key in set(self._keys(previous)) - set(keys):
                self._staged_unique[key] = None
        for key in keys:
            self._staged_unique[key] = entity.id
        self._staged[entity.id] = entity

    def _owner_of(self, key: Key) -> str | None:
        if key in self._staged_unique:
            return self._staged_unique[key]
        return self._table.unique.get(key)

    def _find(self, entity_id: str) -> E | None:
        if entity_id in self._staged:
            return self._staged[entity_id]
        row: E | None = self._table.rows.get(entity_id)
        return row

    def _matching(self, query: Q) -> Iterator[E]:
        return self._resource.queryable.matching(self._visible(), query)

    def _visible(self) -> Iterator[E]:
        for entity_id, entity in self._table.rows.items():
            if entity_id not in self._staged:
                yield entity
        for staged in self._staged.values():
            if staged is not None:
                yield staged
