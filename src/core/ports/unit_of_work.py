"""Transaction port: the repositories of one use case, committed or rolled back as one."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from core.ports.repository import ItemRepository, UserRepository


class Repositories(Protocol):
    """Every resource's repository: a resource is registered by one property here.

    Read-only properties, so a backend may hold its own repository types; mypy --strict then
    refuses a backend whose registry lacks one of them (each backend's `*_units` function).
    """

    @property
    def items(self) -> ItemRepository:
        """Items."""
        ...

    @property
    def users(self) -> UserRepository:
        """Users."""
        ...


class UnitOfWork(Repositories, Protocol):
    """Use as a context manager; everything is rolled back unless `commit()` is called."""

    def __enter__(self) -> Self:
        """Begin the transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and release the transaction."""
        ...

    def commit(self) -> None:
        """Make every change of this unit durable and visible to others."""
        ...

    def rollback(self) -> None:
        """Discard every uncommitted change of this unit."""
        ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work for one use case."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit; `read_only` promises no writes, which lets a backend skip write locks."""
        ...
