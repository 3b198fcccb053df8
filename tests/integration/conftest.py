"""SQL databases for the integration tests: SQLite files, and each real server.

A real server gets one fresh database per test run, emptied before and after each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.sql.database import SqlDatabase, db_create_all, open_sql_database
from tests.integration.servers import SERVERS, database_with_tables, empty_tables, server_url

# No MongoDB server package is reachable from this project's machines: the real-MongoDB suite
# (the same code the mongomock suites run) is collected only when a server is given.
REAL_MONGODB = os.environ.get("TEST_MONGODB_URI") or os.environ.get("MONGODB_URI", "")
if not REAL_MONGODB or REAL_MONGODB.startswith("mongomock://"):
    collect_ignore = ["test_mongo_server.py"]


@pytest.fixture(scope="session")
def postgresql_server_database() -> Iterator[SqlDatabase]:
    with database_with_tables(server_url(SERVERS["postgresql"])) as database:
        yield database


@pytest.fixture(scope="session")
def mysql_server_database() -> Iterator[SqlDatabase]:
    with database_with_tables(server_url(SERVERS["mysql"])) as database:
        yield database


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[SqlDatabase]:
    """A SQLite file with every table, in the test's own folder."""
    database = open_sql_database(f"sqlite:///{tmp_path / 'test.db'}")
    db_create_all(database.engine)
    yield database
    database.dispose()


def _emptied(request: pytest.FixtureRequest, name: str) -> Iterator[SqlDatabase]:
    if name == "sqlite":
        yield request.getfixturevalue("sqlite_database")
        return
    database: SqlDatabase = request.getfixturevalue(f"{name}_server_database")
    empty_tables(database)
    yield database
    empty_tables(database)


@pytest.fixture(params=sorted(SERVERS))
def sql_database(request: pytest.FixtureRequest) -> Iterator[SqlDatabase]:
    """Each real SQL server in turn, empty at the start of the test."""
    yield from _emptied(request, request.param)


@pytest.fixture(params=["sqlite", *sorted(SERVERS)])
def any_sql_database(request: pytest.FixtureRequest) -> Iterator[SqlDatabase]:
    """SQLite, then each real SQL server, empty at the start of the test."""
    yield from _emptied(request, request.param)
