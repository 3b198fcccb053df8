"""How a resource is kept in Mongo: its collection, its queryable fields and unique fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pymongo import ASCENDING, IndexModel

from adapters.entity_shape import EntityShape
from core.fields import Kind
from core.queryable import Queryable
from core.resource import ResourceType

E = TypeVar("E")

MICROS = "_us"


@dataclass(frozen=True, slots=True)
class MongoResource(Generic[E]):
    """A resource's collection; each unique field gets a unique index.

    `places` gives each decimal field its digits after the point: it is stored as an integer of
    that many places (exact, ordered and compared by every server and by mongomock alike).
    """

    name: str
    entity: type[E]
    collection: str
    queryable: Queryable
    unique: tuple[str, ...] = ()
    places: Mapping[str, int] = field(default_factory=dict)
    shape: EntityShape[E] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", EntityShape.of(self.entity))

    @classmethod
    def declared(cls, resource: ResourceType[E, Any]) -> MongoResource[E]:
        """The collection of a declared resource, named like its table."""
        places = {each.name: each.places for each in resource.fields if each.kind is Kind.DECIMAL}
        return cls(
            resource.singular,
            resource.entity,
            resource.name,
            resource.queryable,
            unique=resource.unique,
            places=places,
        )

    def indexes(self) -> list[IndexModel]:
        """A unique index per unique field, and one per other filter or sort field."""
        models = [
            IndexModel([(name, ASCENDING)], name=f"{name}_unique", unique=True)
            for name in self.unique
        ]
        fields = [each.field for each in self.queryable.filters] + sorted(self.queryable.sorts)
        for name in dict.fromkeys(fields):
            if name in self.unique:
                continue
            if name in self.shape.datetimes:
                keys = [(name, ASCENDING), (name + MICROS, ASCENDING), ("_id", ASCENDING)]
                models.append(IndexModel(keys, name=f"{name}_id"))
            else:
                models.append(IndexModel([(name, ASCENDING)], name=name))
        return models
