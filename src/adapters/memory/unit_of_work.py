"""In-memory unit of work: serialised by the store's lock, all-or-nothing on commit."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Self

from adapters.memory.repository import MemoryResource
from adapters.memory.resources import InMemoryRepositories
from adapters.memory.store import InMemoryStore
from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


class InMemoryUnitOfWork(InMemoryRepositories):
    """Stages writes in its repositories and applies them together on commit."""

    def __init__(
        self,
        store: InMemoryStore,
        *,
        read_only: bool = False,
        declared: Mapping[str, MemoryResource] | None = None,
    ) -> None:
        self._store = store
        self._open_repositories(store, declared)
        self.committed = False
        # Reads take the lock too: a listing must not see a commit half applied.
        self.read_only = read_only

    def __enter__(self) -> Self:
        # One unit at a time sees and changes the store: trivially serialisable isolation.
        self._store.lock.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._store.lock.release()

    def commit(self) -> None:
        """Apply every staged change."""
        for repository in self._repositories():
            repository.apply()
        self._store.commits += 1
        self.committed = True

    def rollback(self) -> None:
        """Drop every staged change."""
        for repository in self._repositories():
            repository.discard()


def in_memory_units(
    store: InMemoryStore, declared: Mapping[str, MemoryResource] | None = None
) -> UnitOfWorkFactory:
    """Units of work on the store, typed: mypy --strict fails here if a repository is missing."""

    def unit(*, read_only: bool = False) -> UnitOfWork:
        return InMemoryUnitOfWork(store, read_only=read_only, declared=declared)

    return unit
