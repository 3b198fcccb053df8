"""Transaction port: the repositories of one use case, committed or rolled back as one."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self, TypeVar

from core.ports.repository import ItemRepository, Repository, UserRepository

if TYPE_CHECKING:
    from core.resource import ResourceType

E = TypeVar("E")
Q = TypeVar("Q")


class Repositories(Protocol):
    """Every resource's repository: items and users as properties, declared ones by their key.

    Read-only properties, so a backend may hold its own repository types; mypy --strict then
    refuses a backend whose registry lacks one of them (each backend's `*_units` function). A
    declared resource reaches every backend through the composition root's catalogue, whose
    entries cannot be built without each backend's declaration.
    """

    @property
    def items(self) -> ItemRepository:
        """Items."""
        ...

    @property
    def users(self) -> UserRepository:
        """Users."""
        ...

    def repository(self, resource: ResourceType[E, Q]) -> Repository[E, Q]:
        """The repository of a declared resource; LookupError when the backend was not given it."""
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
        """A new unit; `read_only` promises no writes (a backend may then skip locks or BEGIN)."""
        ...
