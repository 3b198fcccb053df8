"""One Mongo database for the process: a lazily created client, its indexes, what it supports."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from pymongo.database import Database
from pymongo.errors import OperationFailure

from adapters.mongo.client import DEFAULT_TIMEOUT_MS, Client, Document, connect, is_mock
from adapters.mongo.errors import translate_errors
from adapters.mongo.indexes import create_indexes
from adapters.mongo.resource import MongoResource


class MongoStorage:
    """The client is built on first use, so creating the app or importing opens no connection.

    Indexes are created once per process before the first unit of work touches the data
    (and by `flask --app api db upgrade`); a server down at that moment is retried next time.
    """

    def __init__(
        self,
        *,
        uri: str,
        database: str,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        client: Client | None = None,
        declared: Iterable[MongoResource[Any]] = (),
    ) -> None:
        self._uri = uri
        self._database_name = database
        self._timeout_ms = timeout_ms
        self._client = client  # given: shared with other code (a MongoLayer, a test's fake)
        self._declared = tuple(declared)  # declared resources, whose indexes it creates too
        self._indexed = False
        self._transactions: bool | None = None
        self._lock = threading.Lock()

    @property
    def database_name(self) -> str:
        """The database this storage uses."""
        return self._database_name

    @property
    def opened(self) -> bool:
        """Whether the client exists yet (nothing connects before the first use)."""
        return self._client is not None

    def client(self) -> Client:
        """The client, created on first call."""
        with self._lock:
            if self._client is None:
                with translate_errors("database"):
                    self._client = connect(self._uri, timeout_ms=self._timeout_ms)
            return self._client

    def raw_database(self) -> Database[Document]:
        """The database, whether or not its indexes exist yet."""
        return self.client()[self._database_name]

    def database(self) -> Database[Document]:
        """The database with every index in place; Unavailable when the server does not answer."""
        if not self._indexed:
            self.ensure_indexes()
        return self.raw_database()

    def ensure_indexes(self) -> list[str]:
        """Create the missing indexes; the names of all of them."""
        with translate_errors("database"):
            names = create_indexes(self.raw_database(), self._declared)
        self._indexed = True
        return names

    def supports_transactions(self) -> bool:
        """Whether the server runs multi-document transactions (a replica set or a mongos)."""
        if self._transactions is None:
            if is_mock(self._uri):
                self._transactions = False
            else:
                with translate_errors("database"):
                    hello = self._hello()
                self._transactions = bool(
                    hello.get("logicalSessionTimeoutMinutes") is not None
                    and (hello.get("setName") or hello.get("msg") == "isdbgrid")
                )
        return self._transactions

    def _hello(self) -> Document:
        admin = self.client().admin
        try:
            return admin.command("hello")
        except OperationFailure:
            # Servers before 4.4.2 know the command by its legacy name only.
            return admin.command("isMaster")

    def ping(self) -> None:
        """A round trip to the server; Unavailable when it does not answer."""
        with translate_errors("database"):
            self.client().admin.command("ping")

    def drop(self) -> None:
        """Drop the whole database (test and benchmark clean-up)."""
        with translate_errors("database"):
            self.client().drop_database(self._database_name)
        self._indexed = False

    def close(self) -> None:
        """Close the client's connections; a later use opens new ones (mongomock keeps its data)."""
        with self._lock:
            if self._client is not None and not is_mock(self._uri):
                self._client.close()
                self._client = None
