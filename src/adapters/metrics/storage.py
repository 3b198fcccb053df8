"""Storage metrics: each repository call timed, each unit of work counted by its outcome."""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Self, TypeVar, cast

from adapters.metrics.direct import adder, observer
from adapters.metrics.instruments import ServiceMetrics
from core.entities import User
from core.errors import Conflict
from core.ports.repository import ItemRepository, Repository, UserRepository
from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from core.query import Page, UserQuery

if TYPE_CHECKING:
    from core.resource import ResourceType

T = TypeVar("T")
Q = TypeVar("Q")
P = ParamSpec("P")
R = TypeVar("R")

METHODS = ("add", "add_many", "get", "get_many", "scan", "list", "count", "update", "delete")
OUTCOMES = ("commit", "rollback", "conflict", "read_only")
# Each method's writer of its call's duration, by method name.
Timers = dict[str, Callable[[float], None]]


class TimedRepository(Generic[T, Q]):
    """A repository whose every call is observed in its histogram, failed calls included."""

    def __init__(self, inner: Repository[T, Q], timers: Timers) -> None:
        self._inner = inner
        self._timers = timers

    def _run(self, name: str, call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        started = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            self._timers[name](time.perf_counter() - started)

    def add(self, entity: T) -> None:
        """Store a new entity."""
        self._run("add", self._inner.add, entity)

    def add_many(self, entities: Iterable[T]) -> int:
        """Store many new entities."""
        return self._run("add_many", self._inner.add_many, entities)

    def get(self, entity_id: str) -> T:
        """The entity with this id."""
        return self._run("get", self._inner.get, entity_id)

    def get_many(self, ids: Sequence[str]) -> builtins.list[T]:
        """Time the inner get_many."""
        return self._run("get_many", self._inner.get_many, ids)

    def scan(self, after: str | None = None, *, limit: int) -> builtins.list[T]:
        """Time the inner scan."""
        return self._run("scan", self._inner.scan, after, limit=limit)

    def list(self, query: Q) -> Page[T]:
        """One page of the matching entities."""
        return self._run("list", self._inner.list, query)

    def count(self, query: Q) -> int:
        """How many entities match."""
        return self._run("count", self._inner.count, query)

    def update(self, entity: T) -> T:
        """Replace the stored entity at its version."""
        return self._run("update", self._inner.update, entity)

    def delete(self, entity_id: str, *, expected_version: int | None = None) -> None:
        """Remove the entity."""
        self._run("delete", self._inner.delete, entity_id, expected_version=expected_version)


class TimedUserRepository(TimedRepository[User, UserQuery]):
    """Users, with the lookup by name timed too."""

    def __init__(self, inner: UserRepository, timers: Timers) -> None:
        super().__init__(inner, timers)
        self._users = inner

    def get_by_username(self, username: str) -> User:
        """The user with this username in any letter case."""
        return self._run("get_by_username", self._users.get_by_username, username)


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
