"""Storage metrics: each unit of work counted by its outcome, its repositories timed."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast

from adapters.metrics.direct import adder, observer
from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.timed_repository import TimedRepository, TimedUserRepository, Timers
from core.errors import Conflict
from core.ports.repository import ItemRepository, Repository, UserRepository
from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from core.resource import ResourceType

T = TypeVar("T")
Q = TypeVar("Q")
R = TypeVar("R")

METHODS = ("add", "add_many", "get", "get_many", "scan", "list", "count", "update", "delete")
OUTCOMES = ("commit", "rollback", "conflict", "read_only")


class OnFirstUse(Generic[R]):
    """A unit's repository made on its first use, then a plain attribute of that unit.

    A read of one item never touches the users. A descriptor rather than `__getattr__`, which
    Python reaches only through an AttributeError raised first.
    """

    def __init__(self, make: Callable[[MeteredUnitOfWork], R]) -> None:
        self._make = make
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, unit: MeteredUnitOfWork, owner: type | None = None) -> R:
        repository = self._make(unit)
        unit.__dict__[self._name] = repository
        return repository


def _timed_items(unit: MeteredUnitOfWork) -> ItemRepository:
    # Not TimedRepository[Item, ItemQuery](...): calling a subscripted generic costs a typing
    # call and an __orig_class__ assignment on every unit of work.
    return TimedRepository(unit._inner.items, unit._meter.item_timers)


def _timed_users(unit: MeteredUnitOfWork) -> UserRepository:
    return TimedUserRepository(unit._inner.users, unit._meter.user_timers)


class MeteredUnitOfWork:
    """A unit of work whose repositories are timed and whose end is counted."""

    items = OnFirstUse(_timed_items)
    users = OnFirstUse(_timed_users)

    def __init__(self, inner: UnitOfWork, meter: StorageMeter, *, read_only: bool) -> None:
        self._inner = inner
        self._meter = meter
        self._read_only = read_only
        self._committed = False
        self._opened: dict[str, TimedRepository[Any, Any]] = {}

    def __enter__(self) -> Self:
        self._inner.__enter__()
        return self

    def repository(self, resource: ResourceType[T, Q]) -> Repository[T, Q]:
        """The inner unit's repository of a declared resource, timed under its name."""
        name = resource.name
        if name not in self._opened:
            inner = self._inner.repository(resource)
            self._opened[name] = TimedRepository(inner, self._meter.timers(name))
        return cast(Repository[T, Q], self._opened[name])

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._inner.__exit__(exc_type, exc, tb)
        finally:
            if self._committed:
                outcome = "commit"
            elif isinstance(exc, Conflict):
                outcome = "conflict"
            elif self._read_only and exc is None:
                outcome = "read_only"
            else:
                outcome = "rollback"
            self._meter.outcomes[outcome](1.0)

    def commit(self) -> None:
        """Commit the inner unit."""
        self._inner.commit()
        self._committed = True

    def rollback(self) -> None:
        """Roll the inner unit back."""
        self._inner.rollback()


class StorageMeter:
    """The labelled children of one backend, made once, and a factory of metered units."""

    def __init__(self, inner: UnitOfWorkFactory, metrics: ServiceMetrics, backend: str) -> None:
        self._inner = inner
        self._duration = metrics.storage_duration
        self._backend = backend
        self._timers: dict[str, Timers] = {}
        self.outcomes: dict[str, Callable[[float], None]] = {
            outcome: adder(metrics.units_of_work.labels(backend=backend, outcome=outcome))
            for outcome in OUTCOMES
        }
        self.item_timers = self.timers("items")
        self.user_timers = self.timers("users", "get_by_username")

    def timers(self, repository: str, *extra: str) -> Timers:
        """The histogram writer of each method of a repository, made on its first use."""
        if repository not in self._timers:
            self._timers[repository] = {
                name: observer(
                    self._duration.labels(backend=self._backend, repository=repository, method=name)
                )
                for name in (*METHODS, *extra)
            }
        return self._timers[repository]

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A new metered unit of work."""
        return MeteredUnitOfWork(self._inner(read_only=read_only), self, read_only=read_only)


def metered_units(
    inner: UnitOfWorkFactory, metrics: ServiceMetrics | None, backend: str
) -> UnitOfWorkFactory:
    """`inner` itself when metrics are off, else a factory of metered units."""
    return inner if metrics is None else StorageMeter(inner, metrics, backend)
