"""The repository contract on SQLite through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from adapters.sql.database import SqlDatabase, db_create_all, open_sql_database
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from tests.contract.repository_contract import RepositoryContract


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[SqlDatabase]:
    database = open_sql_database(f"sqlite:///{tmp_path / 'contract.db'}")
    db_create_all(database.engine)
    yield database
    database.dispose()


class TestSqliteRepository(RepositoryContract):
    """The contract on a SQLite file with WAL and foreign keys on."""

    @pytest.fixture
    def uow(self, sqlite_database: SqlDatabase) -> Iterator[Callable[[], SqlAlchemyUnitOfWork]]:
        yield partial(SqlAlchemyUnitOfWork, sqlite_database.sessions)
        sqlite_database.remove_session()
