"""The repository contract on PostgreSQL and MariaDB/MySQL."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from adapters.sql.database import SqlDatabase
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from tests.contract.repository_contract import RepositoryContract


class TestServerRepository(RepositoryContract):
    """The contract on each real server (ids show which: postgresql, mysql)."""

    @pytest.fixture
    def uow(self, sql_database: SqlDatabase) -> Callable[[], SqlAlchemyUnitOfWork]:
        return partial(SqlAlchemyUnitOfWork, sql_database.engine)
