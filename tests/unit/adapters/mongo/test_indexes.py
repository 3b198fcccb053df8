"""Mongo's schema follows from the resource declarations, and keeps the indexes deployed before."""

from __future__ import annotations

from adapters.mongo.resources import RESOURCES
from adapters.mongo.storage import MongoStorage

# What databases created before the declarations hold: the derived schema must name the same.
DEPLOYED = {
    ("items", "title_unique", (("title", 1),), True),
    ("items", "created_at_id", (("created_at", 1), ("created_at_us", 1), ("_id", 1)), False),
    ("items", "updated_at_id", (("updated_at", 1), ("updated_at_us", 1), ("_id", 1)), False),
    ("items", "owner_id", (("owner_id", 1),), False),
    ("users", "username_key_unique", (("username_key", 1),), True),
}


def test_the_declarations_give_the_indexes_deployed_before() -> None:
    derived = {
        (
            resource.collection,
            model.document["name"],
            tuple(model.document["key"].items()),
            bool(model.document.get("unique")),
        )
        for resource in RESOURCES
        for model in resource.indexes()
    }
    assert derived == DEPLOYED


def test_ensuring_the_indexes_creates_each_declared_one_and_can_run_again() -> None:
    storage = MongoStorage(uri="mongomock://", database="indexes")
    expected = sorted(f"{collection}.{name}" for collection, name, _, _ in DEPLOYED)
    assert sorted(storage.ensure_indexes()) == expected
    assert sorted(storage.ensure_indexes()) == expected
    held = storage.raw_database()["items"].index_information()
    assert held["title_unique"]["unique"] is True
