"""mongomock's own store, read directly: one pass over a collection instead of one query a batch.

mongomock answers a query by filtering and copying the whole collection, and its cursor slices
that whole result at every step, so reading a collection in keyset batches costs the square of
its size. Its store keeps the documents in a dict, readable in one pass. This relies on
mongomock's internals (`Collection._store`, `CollectionStore.documents`): the version range is
pinned in pyproject.toml and tests/unit/adapters/mongo/test_in_process.py fails if they change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from adapters.mongo.client import Document


def is_in_process(collection: Any) -> bool:
    """Whether the collection is mongomock's (a server's is reached through pymongo)."""
    return type(collection).__module__.startswith("mongomock")


def stored_documents(collection: Any) -> Iterable[Document]:
    """The documents mongomock holds for the collection, as stored: not copies, so not to be
    changed; datetimes naive UTC (mongomock makes them aware only in what `find` returns)."""
    store = collection._store  # mongomock's CollectionStore (see the module)
    return list(store.documents)
