"""What a resource supplies to run the Repository contract: builders, unique fields, queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from core.ports.unit_of_work import UnitOfWorkFactory
from core.queryable import Queryable


@dataclass(frozen=True)
class ResourceSpec:
    """A resource as the contract sees it; `build(**fields)` makes a valid new entity."""

    attribute: str  # the unit of work's attribute holding the repository
    build: Callable[..., Any]
    change: Callable[[Any], Any]  # a valid changed copy, same id and version
    unique: tuple[str, ...]  # entity fields whose values must be unique
    query: Callable[..., Any]  # the resource's query type
    queryable: Queryable
    samples: Callable[[], list[Any]]  # entities that exercise every filter and sort
    filters: tuple[Mapping[str, Any], ...] = ()  # filter sets to try on the samples
    # How many one bulk add stores: the same code for every resource, so one resource goes
    # past the drivers' page sizes (psycopg's insertmanyvalues: 1000 rows) and the rest stay quick.
    bulk: int = 50
    key: Any = None  # a declared resource's key (`core.resource.ResourceType`), if it is one

    def __str__(self) -> str:
        return self.attribute

    def of(self, unit: Any) -> Any:
        """The unit's repository of this resource."""
        return unit.repository(self.key) if self.key is not None else getattr(unit, self.attribute)


def stored(uow: UnitOfWorkFactory, spec: ResourceSpec, *entities: Any) -> None:
    """Add and commit the entities."""
    with uow() as unit:
        spec.of(unit).add_many(entities)
        unit.commit()


@dataclass(frozen=True)
class Staged:
    """A unit's repository over stored and staged samples, and what it must show."""

    repository: Any
    visible: list[Any]
    deleted: Any


@contextmanager
def staged_over_stored(uow: UnitOfWorkFactory, spec: ResourceSpec) -> Iterator[Staged]:
    """Half the samples stored, the other half added in an open unit that deletes a stored one."""
    samples = spec.samples()
    half = len(samples) // 2
    stored(uow, spec, *samples[:half])
    with uow() as unit:
        repository = spec.of(unit)
        repository.add_many(samples[half:])
        repository.delete(samples[0].id)
        yield Staged(repository, samples[1:], samples[0])
