"""db_create_all creates the database itself, or says clearly why the server refused."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy_utils import database_exists

from adapters.sql.database import db_create_all, db_drop_all
from adapters.sql.errors import DatabaseCreationError
from tests.integration.servers import SERVERS, server_url


@pytest.fixture(params=sorted(SERVERS))
def server(request: pytest.FixtureRequest) -> URL:
    return server_url(SERVERS[request.param])


@pytest.fixture
def unprivileged(server: URL) -> Iterator[URL]:
    """A login on the server that may not create databases."""
    name = f"hexapi_nocreate_{secrets.token_hex(3)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    mysql = server.get_backend_name() in ("mysql", "mariadb")
    create = f"CREATE USER '{name}'@'%'" if mysql else f"CREATE ROLE {name} LOGIN"
    drop = f"DROP USER '{name}'@'%'" if mysql else f"DROP ROLE {name}"
    with admin.connect() as connection:
        connection.execute(text(create))
    yield server.set(username=name, password=None, database=f"{name}_db")
    with admin.connect() as connection:
        connection.execute(text(drop))
    admin.dispose()


def test_a_missing_database_is_created_and_migrated(server: URL) -> None:
    url = server.set(database=f"hexapi_created_{secrets.token_hex(4)}")
    assert not database_exists(url)
    db_create_all(url)
    try:
        engine = create_engine(url)
        assert {"items", "users", "alembic_version"} <= set(inspect(engine).get_table_names())
        engine.dispose()
    finally:
        db_drop_all(url, drop_db=True)
    assert not database_exists(url)


def test_a_user_without_the_privilege_gets_a_clear_error(unprivileged: URL) -> None:
    with pytest.raises(DatabaseCreationError) as error:
        db_create_all(unprivileged)
    message = str(error.value)
    assert unprivileged.database in message and unprivileged.username in message
    assert "grant" in message
