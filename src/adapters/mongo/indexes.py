"""The Mongo schema: every index, created idempotently (Mongo's counterpart of the migrations).

Unique indexes hold the uniqueness rules (a duplicate is the server's DuplicateKeyError, never
a read-before-write); the others serve the listings' filters and orders.
"""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel
from pymongo.database import Database

from adapters.mongo.client import Document

ITEMS = "items"
USERS = "users"

INDEXES: dict[str, list[IndexModel]] = {
    ITEMS: [
        # Serves the exact and prefix title filters and title ordering too.
        IndexModel([("title", ASCENDING)], name="title_unique", unique=True),
        IndexModel(
            [("created_at", ASCENDING), ("created_at_us", ASCENDING), ("_id", ASCENDING)],
            name="created_at_id",
        ),
        IndexModel(
            [("updated_at", ASCENDING), ("updated_at_us", ASCENDING), ("_id", ASCENDING)],
            name="updated_at_id",
        ),
        IndexModel([("owner_id", ASCENDING)], name="owner_id"),
    ],
    USERS: [IndexModel([("username_key", ASCENDING)], name="username_key_unique", unique=True)],
}


def create_indexes(database: Database[Document]) -> list[str]:
    """Create every missing index (existing ones are left as they are); their names."""
    names: list[str] = []
    for collection, indexes in INDEXES.items():
        names += [f"{collection}.{name}" for name in database[collection].create_indexes(indexes)]
    return names
