"""The repository contract on SQLite through SQLAlchemy."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from adapters.sql.database import PoolSettings, SqlDatabase, db_create_all, open_sql_database
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.errors import Unavailable
from core.query import ItemQuery
from tests.contract.repository_contract import RepositoryContract
from tests.helpers import an_item
from tests.integration.servers import connections_in_use


class TestSqliteRepository(RepositoryContract):
    """The contract on a SQLite file with WAL and foreign keys on."""

    @pytest.fixture
    def uow(self, sqlite_database: SqlDatabase) -> Callable[[], SqlAlchemyUnitOfWork]:
        return partial(SqlAlchemyUnitOfWork, sqlite_database.engine)


@pytest.fixture
def impatient_database(tmp_path: Path) -> Iterator[SqlDatabase]:
    """A SQLite file whose busy timeout gives up on a held write lock after a fifth of a second."""
    database = open_sql_database(f"sqlite:///{tmp_path / 'busy.db'}", PoolSettings(timeout=0.2))
    db_create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def writer(impatient_database: SqlDatabase) -> Iterator[sqlite3.Connection]:
    """Another connection to the same file, holding SQLite's write lock."""
    connection = sqlite3.connect(impatient_database.engine.url.database or "", isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    yield connection
    connection.execute("ROLLBACK")
    connection.close()


def test_a_read_only_unit_reads_while_another_connection_writes(
    sqlite_database: SqlDatabase,
) -> None:
    with SqlAlchemyUnitOfWork(sqlite_database.engine) as unit:
        unit.items.add(an_item(title="visible"))
        unit.commit()
    writer = sqlite3.connect(sqlite_database.engine.url.database or "", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds SQLite's write lock
        started = time.monotonic()
        with SqlAlchemyUnitOfWork(sqlite_database.engine, read_only=True) as unit:
            titles = [item.title for item in unit.items.list(ItemQuery()).items]
        assert titles == ["visible"]
        assert time.monotonic() - started < 1  # no wait for the writer's lock
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.usefixtures("writer")
def test_a_write_unit_waits_for_the_write_lock_even_on_a_connection_a_reader_used(
    impatient_database: SqlDatabase,
) -> None:
    engine = impatient_database.engine
    with SqlAlchemyUnitOfWork(engine, read_only=True) as unit:
        assert unit.items.count(ItemQuery()) == 0
    # The pooled connection the reader returned must not begin deferred for a writer.
    with pytest.raises(Unavailable), SqlAlchemyUnitOfWork(engine):
        pass
    assert connections_in_use(impatient_database) == 0
