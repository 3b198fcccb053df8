"""A declared resource as the composition root registers it: one bundle of every declaration.

The bundle cannot be built without the core declaration and the memory, SQL, Mongo and HTTP
ones, all of the same entity type: mypy --strict refuses a resource one backend would lack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from adapters.http.resources.declaration import HttpResource
from adapters.http.resources.derived import http_resource
from adapters.memory.repository import MemoryResource
from adapters.mongo.resource import MongoResource
from adapters.sql.resource import SqlResource
from core.entities import Versioned
from core.ports.clock import Clock, IdGenerator
from core.ports.unit_of_work import UnitOfWorkFactory
from core.queryable import ListQuery
from core.resource import ResourceType
from core.services.resources import ResourceService

E = TypeVar("E", bound=Versioned)
Q = TypeVar("Q", bound=ListQuery)
Catalogue = Iterable["Resource[Any, Any]"]


@dataclass(frozen=True, kw_only=True)
class Resource(Generic[E, Q]):
    """A resource's declarations; `service` is its use cases' class (a subclass adds rules)."""

    declared: ResourceType[E, Q]
    memory: MemoryResource
    sql: SqlResource[E]
    mongo: MongoResource[E]
    http: HttpResource[E]
    service: type[ResourceService[E, Q]] = ResourceService

    @classmethod
    def of(
        cls,
        declared: ResourceType[E, Q],
        *,
        service: type[ResourceService[E, Q]] = ResourceService,
        sql: SqlResource[E] | None = None,
        http: HttpResource[E] | None = None,
    ) -> Resource[E, Q]:
        """The bundle every backend's declaration reads off `declared`.

        `sql` names a table stated by hand, `http` a declaration with actions beyond CRUD.
        """
        return cls(
            declared=declared,
            memory=MemoryResource.declared(declared),
            sql=sql or SqlResource.declared(declared),
            mongo=MongoResource.declared(declared),
            http=http or http_resource(declared),
            service=service,
        )

    @property
    def name(self) -> str:
        """The resource's plural name: its URL, table and collection."""
        return self.declared.name


def memory_declarations(catalogue: Catalogue) -> Mapping[str, MemoryResource]:
    """Each resource's in-memory declaration by name."""
    return {each.name: each.memory for each in catalogue}


def sql_declarations(catalogue: Catalogue) -> Mapping[str, SqlResource[Any]]:
    """Each resource's SQL declaration by name."""
    return {each.name: each.sql for each in catalogue}


def mongo_declarations(catalogue: Catalogue) -> Mapping[str, MongoResource[Any]]:
    """Each resource's Mongo declaration by name."""
    return {each.name: each.mongo for each in catalogue}


def mongo_collections(catalogue: Catalogue) -> tuple[MongoResource[Any], ...]:
    """Each resource's Mongo declaration, whose indexes the storage creates."""
    return tuple(each.mongo for each in catalogue)


def http_declarations(fixed: Iterable[HttpResource[Any]], catalogue: Catalogue) -> list[Any]:
    """The resources the blueprint serves: the fixed ones, then each declared one."""
    return [*fixed, *(each.http for each in catalogue)]


def resource_services(
    catalogue: Catalogue, *, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator
) -> Mapping[str, ResourceService[Any, Any]]:
    """Each declared resource's service by name."""
    return {
        each.name: each.service(resource=each.declared, uow=uow, clock=clock, ids=ids)
        for each in catalogue
    }
