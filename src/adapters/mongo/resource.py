"""How a resource is kept in Mongo: its collection, its queryable fields and unique fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pymongo import ASCENDING, IndexModel

from adapters.entity_shape import EntityShape
from core.queryable import Queryable

E = TypeVar("E")

MICROS = "_us"


@dataclass(frozen=True, slots=True)
class MongoResource(Generic[E]):
    """A resource's collection; each unique field gets a unique index."""

    name: str
    entity: type[E]
    collection: str
    queryable: Queryable
    unique: tuple[str, ...] = ()
    shape: EntityShape[E] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", EntityShape.of(self.entity))

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
