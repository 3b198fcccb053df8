"""The repository contract on SQLite through SQLAlchemy."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from adapters.sql.database import SqlDatabase
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.query import ItemQuery
from tests.contract.repository_contract import RepositoryContract
from tests.helpers import an_item


class TestSqliteRepository(RepositoryContract):
    """The contract on a SQLite file with WAL and foreign keys on."""

    @pytest.fixture
    def uow(self, sqlite_database: SqlDatabase) -> Iterator[Callable[[], SqlAlchemyUnitOfWork]]:
        yield partial(SqlAlchemyUnitOfWork, sqlite_database.sessions)
        sqlite_database.remove_session()


def test_a_read_only_unit_reads_while_another_connection_writes(
    sqlite_database: SqlDatabase,
) -> None:
    with SqlAlchemyUnitOfWork(sqlite_database.sessions) as unit:
        unit.items.add(an_item(title="visible"))
        unit.commit()
    writer = sqlite3.connect(sqlite_database.engine.url.database or "", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds SQLite's write lock
        started = time.monotonic()
        with SqlAlchemyUnitOfWork(sqlite_database.sessions, read_only=True) as unit:
            titles = [item.title for item in unit.items.list(ItemQuery()).items]
        assert titles == ["visible"]
        assert time.monotonic() - started < 1  # no wait for the writer's lock
    finally:
        writer.execute("ROLLBACK")
        writer.close()
