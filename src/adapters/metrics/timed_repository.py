"""A repository whose every call is observed in its histogram, failed calls included."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from time import perf_counter
from typing import Generic, TypeVar

from core.entities import User
from core.ports.repository import Repository, UserRepository
from core.query import Page, UserQuery

T = TypeVar("T")
Q = TypeVar("Q")

# Each method's writer of its call's duration, by method name.
Timers = dict[str, Callable[[float], None]]


# Each method times its inner call itself: one helper taking the call and its arguments cost a
# Python call and the packing of the arguments on every repository call.
class TimedRepository(Generic[T, Q]):
    """The inner repository, each call's duration observed under its method's name."""

    def __init__(self, inner: Repository[T, Q], timers: Timers) -> None:
        self._inner = inner
        self._timers = timers

    def add(self, entity: T) -> None:
        """Store a new entity."""
        started = perf_counter()
        try:
            self._inner.add(entity)
        finally:
            self._timers["add"](perf_counter() - started)

    def add_many(self, entities: Iterable[T]) -> int:
        """Store many new entities."""
        started = perf_counter()
        try:
            return self._inner.add_many(entities)
        finally:
            self._timers["add_many"](perf_counter() - started)

    def get(self, entity_id: str) -> T:
        """The entity with this id."""
        started = perf_counter()
        try:
            return self._inner.get(entity_id)
        finally:
            self._timers["get"](perf_counter() - started)

    def get_many(self, ids: Sequence[str]) -> builtins.list[T]:
        """The entities with these ids."""
        started = perf_counter()
        try:
            return self._inner.get_many(ids)
        finally:
            self._timers["get_many"](perf_counter() - started)

    def scan(self, after: str | None = None, *, limit: int) -> builtins.list[T]:
        """Up to `limit` entities after that id, in id order."""
        started = perf_counter()
        try:
            return self._inner.scan(after, limit=limit)
        finally:
            self._timers["scan"](perf_counter() - started)

    def list(self, query: Q) -> Page[T]:
        """One page of the matching entities."""
        started = perf_counter()
        try:
            return self._inner.list(query)
        finally:
            self._timers["list"](perf_counter() - started)

    def count(self, query: Q) -> int:
        """How many entities match."""
        started = perf_counter()
        try:
            return self._inner.count(query)
        finally:
            self._timers["count"](perf_counter() - started)

    def update(self, entity: T) -> T:
        """Replace the stored entity at its version."""
        started = perf_counter()
        try:
            return self._inner.update(entity)
        finally:
            self._timers["update"](perf_counter() - started)

    def delete(self, entity_id: str, *, expected_version: int | None = None) -> None:
        """Remove the entity."""
        started = perf_counter()
        try:
            self._inner.delete(entity_id, expected_version=expected_version)
        finally:
            self._timers["delete"](perf_counter() - started)


class TimedUserRepository(TimedRepository[User, UserQuery]):
    """Users, with the lookup by name timed too."""

    def __init__(self, inner: UserRepository, timers: Timers) -> None:
        super().__init__(inner, timers)
        self._users = inner

    def get_by_username(self, username: str) -> User:
        """The user with this username in any letter case."""
        started = perf_counter()
        try:
            return self._users.get_by_username(username)
        finally:
            self._timers["get_by_username"](perf_counter() - started)
