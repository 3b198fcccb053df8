"""The repository contract on SQLite through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

import pytest

from adapters.sql.database import SqlDatabase
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from tests.contract.repository_contract import RepositoryContract


class TestSqliteRepository(RepositoryContract):
    """The contract on a SQLite file with WAL and foreign keys on."""

    @pytest.fixture
    def uow(self, sqlite_database: SqlDatabase) -> Iterator[Callable[[], SqlAlchemyUnitOfWork]]:
        yield partial(SqlAlchemyUnitOfWork, sqlite_database.sessions)
        sqlite_database.remove_session()
