"""In-memory repositories: writes are staged on top of the committed rows until commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, Generic, TypeVar

from adapters.memory.store import Table
from core.entities import Item, User, Versioned
from core.errors import ConcurrentChange, Conflict, NotFound
from core.query import ItemQuery, Page, UserQuery
from core.usernames import username_key

E = TypeVar("E", bound=Versioned)


class InMemoryRepository(Generic[E]):
    """Entities keyed by id with one unique key; changes stay staged until the unit commits."""

    def __init__(self, table: Table[E], *, unique_key: Callable[[E], str], name: str) -> None:
        self._table = table
        self._staged: dict[str, E | None] = {}  # id -> new row, None when deleted
        self._staged_unique: dict[str, str | None] = {}  # key -> id, None when released
        self._unique_key = unique_key
        self._name = name

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
        self._staged_unique[self._unique_key(current)] = None
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

    def _stage(self, entity: E, *, previous: E | None) -> None:
        key = self._unique_key(entity)
        owner = self._owner_of(key)
        if owner is not None and owner != entity.id:
            raise Conflict(f"{self._name} {key!r} already exists")
        if previous is not None and self._unique_key(previous) != key:
            self._staged_unique[self._unique_key(previous)] = None
        self._staged_unique[key] = entity.id
        self._staged[entity.id] = entity

    def _owner_of(self, key: str) -> str | None:
        if key in self._staged_unique:
            return self._staged_unique[key]
        return self._table.unique.get(key)

    def _find(self, entity_id: str) -> E | None:
        if entity_id in self._staged:
            return self._staged[entity_id]
        return self._table.rows.get(entity_id)

    def _visible(self) -> Iterator[E]:
        for entity_id, entity in self._table.rows.items():
            if entity_id not in self._staged:
                yield entity
        for staged in self._staged.values():
            if staged is not None:
                yield staged


def _page(rows: list[Any], *, limit: int, offset: int) -> Page[Any]:
    return Page(items=rows[offset : offset + limit], total=len(rows), limit=limit, offset=offset)


class InMemoryItemRepository(InMemoryRepository[Item]):
    """Items, unique by title."""

    def __init__(self, table: Table[Item]) -> None:
        super().__init__(table, unique_key=lambda item: item.title, name="item")

    def list(self, query: ItemQuery) -> Page[Item]:
        """Filter, order by the query's keys then id, and slice."""
        rows = sorted(self._matching(query), key=lambda item: item.id)
        for key in reversed(query.sort):
            rows.sort(key=lambda item: getattr(item, key.field.value), reverse=key.descending)
        return _page(rows, limit=query.limit, offset=query.offset)

    def count(self, query: ItemQuery) -> int:
        """How many items match the filters."""
        return sum(1 for _ in self._matching(query))

    def _matching(self, query: ItemQuery) -> Iterator[Item]:
        for item in self._visible():
            if query.title is not None and item.title != query.title:
                continue
            if query.title_prefix is not None and not item.title.startswith(query.title_prefix):
                continue
            if query.owner_id is not None and item.owner_id != query.owner_id:
                continue
            yield item


class InMemoryUserRepository(InMemoryRepository[User]):
    """Users, unique by case-folded username."""

    def __init__(self, table: Table[User]) -> None:
        super().__init__(table, unique_key=lambda user: username_key(user.username), name="user")

    def get_by_username(self, username: str) -> User:
        """The user whose username matches in any letter case."""
        owner = self._owner_of(username_key(username))
        if owner is None:
            raise NotFound(f"user {username!r} not found")
        return self.get(owner)

    def list(self, query: UserQuery) -> Page[User]:
        """Users ordered by username."""
        rows = sorted(self._visible(), key=lambda user: (username_key(user.username), user.id))
        return _page(rows, limit=query.limit, offset=query.offset)

    def count(self, query: UserQuery) -> int:  # noqa: ARG002 - users have no filters yet
        """How many users exist."""
        return sum(1 for _ in self._visible())
