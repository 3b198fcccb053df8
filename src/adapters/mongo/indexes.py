"""The Mongo schema: every index, created idempotently (Mongo's counterpart of the migrations).

Unique indexes hold the uniqueness rules (a duplicate is the server's DuplicateKeyError, never
a read-before-write); the others serve the listings' filters and orders. Each resource's
indexes follow from its declaration (`MongoResource.indexes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo.database import Database

from adapters.mongo.client import Document
from adapters.mongo.resource import MongoResource
from adapters.mongo.resources import RESOURCES


def create_indexes(
    database: Database[Document], declared: Iterable[MongoResource[Any]] = ()
) -> list[str]:
    """Create every missing index (existing ones are left as they are); their names."""
    names: list[str] = []
    for resource in (*RESOURCES, *declared):
        collection = database[resource.collection]
        names += [
            f"{resource.collection}.{name}"
            for name in collection.create_indexes(resource.indexes())
        ]
    return names
