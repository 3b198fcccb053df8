"""Storage port: one small protocol shared by every entity repository."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from core.entities import Item, User
from core.query import ItemQuery, Page, UserQuery

T = TypeVar("T")
Q = TypeVar("Q", contravariant=True)


class Repository(Protocol[T, Q]):
    """Entities of one kind; unique rules and versions are enforced by the storage itself."""

    def add(self, entity: T) -> None:
        """Store a new entity; Conflict when a unique field is taken."""
        ...

    def add_many(self, entities: Iterable[T]) -> int:
        """Store many new entities in bulk and return how many; Conflict on any duplicate."""
        ...

    def get(self, entity_id: str) -> T:
        """The entity with this id; NotFound when there is none."""
        ...

    def get_many(self, ids: Sequence[str]) -> builtins.list[T]:
        """The entities among these ids, in no given order; ids not stored are left out."""
        ...

    def scan(self, after: str | None = None, *, limit: int) -> builtins.list[T]:
        """Up to `limit` entities whose ids follow `after`, in id order (keyset: any depth).

        The order is the backend's own order of ids, so a scan resumed at the last id it
        returned neither repeats nor skips an entity.
        """
        ...

    def list(self, query: Q) -> Page[T]:
        """One page of the entities matching the query, with the total."""
        ...

    def count(self, query: Q) -> int:
        """How many entities match the query (paging ignored)."""
        ...

    def update(self, entity: T) -> T:
        """Replace the stored entity if its version equals `entity.version`; return it bumped.

        ConcurrentChange (a Conflict) when the stored version differs, Conflict when a unique
        field is taken, NotFound when it no longer exists.
        """
        ...

    def delete(self, entity_id: str, *, expected_version: int | None = None) -> None:
        """Remove the entity; NotFound when absent, ConcurrentChange when its version differs."""
        ...


class ItemRepository(Repository[Item, ItemQuery], Protocol):
    """Items, unique by title."""


class UserRepository(Repository[User, UserQuery], Protocol):
    """Users, unique by username compared case-insensitively."""

    def get_by_username(self, username: str) -> User:
        """The user with this username in any letter case; NotFound when there is none."""
        ...
