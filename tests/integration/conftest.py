"""Fixtures for the real servers: one database per server per test run, emptied per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.sql.database import SqlDatabase
from tests.integration.servers import (
    SERVERS,
    database_with_tables,
    empty_tables,
    server_url,
)


@pytest.fixture(scope="session", params=sorted(SERVERS))
def server_database(request: pytest.FixtureRequest) -> Iterator[SqlDatabase]:
    """Each real SQL server in turn, with a fresh database holding every table."""
    with database_with_tables(server_url(SERVERS[request.param])) as database:
        yield database


@pytest.fixture
def sql_database(server_database: SqlDatabase) -> Iterator[SqlDatabase]:
    """The server's database, empty at the start of the test."""
    empty_tables(server_database)
    yield server_database
    empty_tables(server_database)
