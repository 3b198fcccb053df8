"""Real database servers for the integration tests, each test run in its own fresh database.

A server comes from its environment variable (`.ci/run` sets them). Without it the tests skip
with the reason, except in CI (CI=true), where a missing server is a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool, QueuePool
from sqlalchemy_utils import create_database, drop_database

from adapters.sql.database import SqlDatabase, db_create_all, open_sql_database
from adapters.sql.schema import schema

SERVERS = {
    "postgresql": "TEST_POSTGRES_URL",
    "mysql": "TEST_MYSQL_URL",
}


def server_url(variable: str) -> URL:
    """The server URL from `variable`; skips locally and fails in CI when it is missing."""
    value = os.environ.get(variable)
    if not value:
        message = f"{variable} is not set: no server to test against"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI requires it)")
        pytest.skip(message)
    return make_url(value)


@contextmanager
def fresh_database(server: URL) -> Iterator[URL]:
    """A newly created database on the server, dropped afterwards."""
    url = server.set(database=f"hexapi_test_{secrets.token_hex(4)}")
    create_database(url)
    try:
        yield url
    finally:
        drop_database(url)


@contextmanager
def database_with_tables(server: URL) -> Iterator[SqlDatabase]:
    """A fresh database with every table, as an open SqlDatabase."""
    with fresh_database(server) as url:
        database = open_sql_database(url)
        try:
            db_create_all(database.engine)
            yield database
        finally:
            database.dispose()


def empty_tables(database: SqlDatabase) -> None:
    """Delete every row so the next test starts from an empty store."""
    with database.engine.begin() as connection:
        for table in reversed(schema().sorted_tables):
            connection.execute(delete(table))


def connections_in_use(database: SqlDatabase) -> int:
    """How many of the pool's connections are checked out (0 once every unit has ended)."""
    pool = database.engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedout()


def kill_other_connections(database: SqlDatabase) -> int:
    """Ask the server to end every connection to this database but the one asking; how many."""
    killer = create_engine(database.engine.url, poolclass=NullPool)
    with killer.connect() as connection:
        if connection.dialect.name == "postgresql":
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )
        own = connection.execute(text("SELECT CONNECTION_ID()")).scalar_one()
        others = [
            pid
            for pid in connection.execute(
                text("SELECT id FROM information_schema.processlist WHERE db = DATABASE()")
            ).scalars()
            if pid != own
        ]
        for pid in others:
            try:
                connection.execute(text(f"KILL {int(pid)}"))
            except OperationalError as error:  # ended between the listing and the KILL
                if "Unknown thread id" not in str(error.orig):
                    raise
    killer.dispose()
    return len(others)
