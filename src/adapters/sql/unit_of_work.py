"""SQL unit of work on a Core connection of its own, returned to the pool when the unit ends."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine

from adapters.sql.database import autocommit_reads, mark_read_only
from adapters.sql.errors import translate_errors
from adapters.sql.resource import SqlResource
from adapters.sql.resources import SqlRepositories
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
        self._declared_resources = declared

    def __enter__(self) -> Self:
        with translate_errors("database"):
            connection = self._engine.connect()
            try:
                if self._read_only and autocommit_reads(self._engine):
                    # No BEGIN before its reads, no ROLLBACK after them: two round trips fewer.
                    connection.execution_options(isolation_level="AUTOCOMMIT")
                elif self._read_only:
                    # SQLite's BEGIN (the dialect's do_begin) then takes no write lock.
                    mark_read_only(connection)
                connection.begin()
            except BaseException:
                connection.close()
                raise
        self._connection: Connection = connection
        self._open_repositories(connection, self._declared_resources)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
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
