"""The original boilerplate's mongo object, `MongoLayer`, and `setup_mongodb`, correct on pymongo 4.

Names and argument order are the original's. What changed: an id given as a string matches the
ObjectId it spells (and a string `_id` too), results are plain documents whose ObjectId `_id`
comes back as its string, counting uses `count_documents` (pymongo 4 removed `cursor.count()`),
rows passed in are never modified, credentials in the connection string are quoted, and failures
are the core's errors (a duplicate key is Conflict, a server that does not answer Unavailable).

Queries go to pymongo as given, operators included: build them in code, never from request
data (the repositories are the safe path for that). The original's `copy_db` is gone: MongoDB
4.2 removed the `copydb` command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from bson import ObjectId
from pymongo.collection import Collection

from adapters.mongo.client import DEFAULT_TIMEOUT_MS, Client, Document, connect, mongo_uri
from adapters.mongo.errors import translate_errors

Projection = Mapping[str, Any] | None


def id_condition(value: object) -> object:
    """What `_id` must equal: a 24-hex string matches its ObjectId or the string itself."""
    if isinstance(value, str) and ObjectId.is_valid(value):
        return {"$in": [ObjectId(value), value]}
    return value


def with_ids(query: Mapping[str, Any] | None) -> Document:
    """The query with a string `_id` widened by `id_condition`."""
    query = dict(query or {})
    if "_id" in query:
        query["_id"] = id_condition(query["_id"])
    return query


def plain(document: Document | None) -> Document | None:
    """The document with an ObjectId `_id` as its string (JSON-ready)."""
    if document is not None and isinstance(document.get("_id"), ObjectId):
        document["_id"] = str(document["_id"])
    return document


class MongoLayer:
    """CRUD helpers over one client; `db_name` picks another database than the default."""

    def __init__(
        self,
        username: str | None,
        password: str | None,
        host: str,
        database_name: str,
        *,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        client: Client | None = None,
    ) -> None:
        # The URI holds the password, so it is used here and not kept on the object.
        uri = mongo_uri(username=username, password=password, host=host)
        self.client = client if client is not None else connect(uri, timeout_ms=timeout_ms)
        self.database_name = database_name

    def gettable(self, table_name: str, db_name: str | None = None) -> Collection[Document]:
        """The collection `table_name` of `db_name` (default: the layer's database)."""
        return self.client[db_name or self.database_name][table_name]

    def insert_row(
        self, table_name: str, row: Mapping[str, Any], db_name: str | None = None
    ) -> str:
        """Insert one document (a copy: `row` is left as it was); its id as a string."""
        with translate_errors(table_name):
            inserted = self.gettable(table_name, db_name).insert_one(dict(row)).inserted_id
        return str(inserted)

    def bulk_insert(
        self, table_name: str, rows: Iterable[Mapping[str, Any]], db_name: str | None = None
    ) -> list[str]:
        """Insert documents in order; their ids as strings."""
        with translate_errors(table_name):
            result = self.gettable(table_name, db_name).insert_many([dict(row) for row in rows])
        return [str(inserted) for inserted in result.inserted_ids]

    def findbyid(
        self, table_name: str, id: object, filter: Projection = None, db_name: str | None = None
    ) -> Document | None:
        """The document with this id (string or ObjectId), projected by `filter`; else None."""
        return self.findone(table_name, {"_id": id}, filter, db_name)

    def findone(
        self,
        table_name: str,
        query: Mapping[str, Any] | None = None,
        filter: Projection = None,
        db_name: str | None = None,
    ) -> Document | None:
        """The first document matching `query`, projected by `filter`; else None."""
        with translate_errors(table_name):
            found = self.gettable(table_name, db_name).find_one(with_ids(query), filter)
        return plain(found)

    def find(
        self,
        table_name: str,
        query: Mapping[str, Any] | None = None,
        filter: Projection = None,
        db_name: str | None = None,
    ) -> list[Document]:
        """Every document matching `query`, projected by `filter`, as a list."""
        with translate_errors(table_name):
            cursor = self.gettable(table_name, db_name).find(with_ids(query), filter)
            return [document for document in map(plain, cursor) if document is not None]

    def count(
        self, table_name: str, query: Mapping[str, Any] | None = None, db_name: str | None = None
    ) -> int:
        """How many documents match `query` (what the original's `cursor.count()` gave)."""
        with translate_errors(table_name):
            return self.gettable(table_name, db_name).count_documents(with_ids(query))

    def deletebyid(self, table_name: str, id: object, db_name: str | None = None) -> int:
        """Delete the document with this id; how many were deleted (0 or 1)."""
        return self.deleteone(table_name, {"_id": id}, db_name)

    def deleteone(
        self, table_name: str, query: Mapping[str, Any], db_name: str | None = None
    ) -> int:
        """Delete the first document matching `query`; how many were deleted (0 or 1)."""
        with translate_errors(table_name):
            return self.gettable(table_name, db_name).delete_one(with_ids(query)).deleted_count

    def deletemany(
        self, table_name: str, query: Mapping[str, Any], db_name: str | None = None
    ) -> int:
        """Delete every document matching `query`; how many."""
        with translate_errors(table_name):
            return self.gettable(table_name, db_name).delete_many(with_ids(query)).deleted_count

    def dropcoll(self, table_name: str, db_name: str | None = None) -> bool:
        """Drop the collection and its indexes."""
        with translate_errors(table_name):
            self.gettable(table_name, db_name).drop()
        return True

    def updatebyid(
        self, table_name: str, id: object, newval: Mapping[str, Any], db_name: str | None = None
    ) -> int:
        """Set the fields of `newval` on the document with this id; how many matched."""
        return self.updateone(table_name, {"_id": id}, newval, db_name)

    def updateone(
        self,
        table_name: str,
        query: Mapping[str, Any],
        newval: Mapping[str, Any],
        db_name: str | None = None,
    ) -> int:
        """Set the fields of `newval` on the first document matching `query`; how many matched."""
        with translate_errors(table_name):
            collection = self.gettable(table_name, db_name)
            return collection.update_one(with_ids(query), {"$set": dict(newval)}).matched_count

    def updatemany(
        self,
        table_name: str,
        query: Mapping[str, Any],
        newval: Mapping[str, Any],
        db_name: str | None = None,
    ) -> int:
        """Set the fields of `newval` on every document matching `query`; how many matched."""
        with translate_errors(table_name):
            collection = self.gettable(table_name, db_name)
            return collection.update_many(with_ids(query), {"$set": dict(newval)}).matched_count


class FlaskLikeApp(Protocol):
    """What setup_mongodb needs of a Flask app (structural, so this module needs no Flask)."""

    extensions: dict[str, Any]


def setup_mongodb(
    app: FlaskLikeApp,
    username: str | None,
    password: str | None,
    host: str,
    database_name: str,
) -> MongoLayer:
    """The original's set-up: a MongoLayer as `app.mongo` (and `app.extensions["mongo"]`).

    `host` is the original's cluster host (`mongodb+srv://` is used), or any URI's host part
    with its scheme (`mongodb://localhost:27017`, `mongomock://`). The original also inserted
    a document to force the database into existence; MongoDB creates it on the first write,
    and listing databases first needed a privilege an application user should not hold.
    """
    layer = MongoLayer(username, password, host, database_name)
    app.extensions["mongo"] = layer
    setattr(app, "mongo", layer)  # noqa: B010 - the original's attribute, on a typed app
    return layer
