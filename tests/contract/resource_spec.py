"""What a resource supplies to run the Repository contract: builders, unique fields, queries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
