"""Mongo unit of work: writes staged until commit, applied as one.

With a replica set (or a mongos) the commit runs in a multi-document transaction. On a
standalone server or mongomock the writes are applied in order and a failure undoes what the
commit had applied: other requests may see the partial state for that moment, and a crash
between the two leaves it. Each use case of this service writes one document per commit, and a
single-document write is atomic everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from pymongo.client_session import ClientSession

from adapters.mongo.errors import translate_errors
from adapters.mongo.resource import MongoResource
from adapters.mongo.resources import MongoRepositories
from adapters.mongo.staging import Applier, Write
from adapters.mongo.storage import MongoStorage
from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


class MongoUnitOfWork(MongoRepositories):
    """The repositories of one use case over one MongoStorage."""

    def __init__(
        self,
        storage: MongoStorage,
        *,
        read_only: bool = False,
        declared: Mapping[str, MongoResource[Any]] | None = None,
    ) -> None:
        self._storage = storage
        self._declared_resources = declared
        self._log: list[Write] = []
        self.read_only = read_only  # reads need no transaction here; writes stage anyway

    def __enter__(self) -> Self:
        database = self._storage.database()
        self._log = []
        self._open_repositories(database, self._log, self._declared_resources)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        """Apply every staged write as one; Conflict, NotFound or Unavailable stores nothing."""
        writes = list(self._log)
        self.rollback()
        if not writes:
            return
        if self._storage.supports_transactions():
            self._in_transaction(writes)
        else:
            self._with_undo(writes)

    def rollback(self) -> None:
        """Drop every staged write."""
        self._log.clear()
        for repository in self._repositories():
            repository.discard()

    def _in_transaction(self, writes: list[Write]) -> None:
        def run(session: ClientSession) -> None:
            # with_transaction may call this again after a transient error: start afresh.
            Applier(session).apply(writes)

        with translate_errors("transaction"), self._storage.client().start_session() as session:
            session.with_transaction(run)

    @staticmethod
    def _with_undo(writes: list[Write]) -> None:
        applier = Applier()
        try:
            applier.apply(writes)
        except BaseException:
            applier.undo()
            raise


def mongo_units(
    storage: MongoStorage, declared: Mapping[str, MongoResource[Any]] | None = None
) -> UnitOfWorkFactory:
    """Units of work on the storage, typed: mypy --strict fails here if a repository is missing."""

    def unit(*, read_only: bool = False) -> UnitOfWork:
        return MongoUnitOfWork(storage, read_only=read_only, declared=declared)

    return unit
