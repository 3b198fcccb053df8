"""SQL unit of work on a Core connection of its own, returned to the pool when the unit ends."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from adapters.sql.database import (
    OWN_BEGIN,
    autocommit_reads,
    begins_itself,
    mark_own_begin,
    mark_read_only,
)
from adapters.sql.errors import translate_errors
from adapters.sql.resource import SqlResource
from adapters.sql.resources import SqlRepositories
from adapters.sql.unpinged import FirstReadResent, unpinged
from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


class SqlAlchemyUnitOfWork(SqlRepositories):
    """One database transaction on one pooled connection, held only while the unit is open."""

    def __init__(
        self,
        engine: Engine,
        *,
        read_only: bool = False,
        declared: Mapping[str, SqlResource[Any]] | None = None,
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        self._marked: dict[str, Any] | None = None
        self._declared_resources = declared

    def __enter__(self) -> Self:
        own_begin = not self._read_only and begins_itself(self._engine)
        with translate_errors("database"):
            try:
                connection = self._begun(own_begin=own_begin)
            except DBAPIError as error:
                if not (own_begin and error.connection_invalidated):
                    raise
                # The pooled connection was dead and no ping had said so; SQLAlchemy has
                # invalidated the pool's connections, and nothing was sent but the BEGIN.
                connection = self._begun(own_begin=own_begin)
        self._connection: Connection = connection
        self._open_repositories(connection, self._declared_resources)
        return self

    def _begun(self, *, own_begin: bool) -> Connection:
        # Decided before the engine's first connection too: that one unit is pinged.
        resent_read = self._read_only and autocommit_reads(self._engine)
        if own_begin:
            connection = unpinged(self._engine)
        elif resent_read:
            connection = unpinged(self._engine, FirstReadResent)
        else:
            connection = self._engine.connect()
        try:
            if own_begin:
                # Its BEGIN is sent now, in place of the pool's ping (begins_itself).
                self._marked = mark_own_begin(connection)
            elif self._read_only and (resent_read or autocommit_reads(self._engine)):
                # No BEGIN before its reads, no ROLLBACK after them: two round trips fewer; its
                # first read stands for the pool's ping (unpinged.FirstReadResent).
                connection.execution_options(isolation_level="AUTOCOMMIT")
            elif self._read_only:
                # SQLite's BEGIN (the dialect's do_begin) then takes no write lock.
                mark_read_only(connection)
            connection.begin()
        except BaseException:
            self._unmark()
            connection.close()
            raise
        return connection

    def _unmark(self) -> None:
        if self._marked is not None:
            self._marked.pop(OWN_BEGIN, None)
            self._marked = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._unmark()
        try:
            # Closing rolls back what was not committed and returns the connection to the pool;
            # a rollback() first would make the pool send a second ROLLBACK (a round trip).
            with translate_errors("transaction"):
                self._connection.close()
        finally:
            # When that rollback failed on a dead connection, SQLAlchemy 2.0's close() stopped
            # before returning it; a connection already closed ignores this.
            self._connection.close()

    def commit(self) -> None:
        """Commit the transaction; Conflict or Unavailable when the server refuses."""
        with translate_errors("transaction", self._connection):
            self._connection.commit()

    def rollback(self) -> None:
        """Roll back whatever was not committed (a no-op after commit)."""
        with translate_errors("transaction", self._connection):
            self._connection.rollback()


def sql_units(
    engine: Engine, declared: Mapping[str, SqlResource[Any]] | None = None
) -> UnitOfWorkFactory:
    """Units of work on the engine, typed: mypy --strict fails here if a repository is missing."""

    def unit(*, read_only: bool = False) -> UnitOfWork:
        return SqlAlchemyUnitOfWork(engine, read_only=read_only, declared=declared)

    return unit
