"""A lost or unreachable database answers 503 or is reconnected, never a 500."""

from __future__ import annotations

import pytest
from dependency_injector import providers
from flask import Flask

from adapters.sql.database import SqlDatabase, autocommit_reads
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from api import create_app
from api.app import build_container
from api.settings import load_settings
from core.errors import Unavailable
from core.query import ItemQuery
from tests.contract.http_contract import assert_envelope
from tests.helpers import an_item, app_settings
from tests.integration.servers import connections_in_use, kill_other_connections

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
    "mysql": "mysql+pymysql://nobody@127.0.0.1:1/none?connect_timeout=2",
    "sqlite": "sqlite:////nonexistent-folder/none.db",
}


def app_on(database: SqlDatabase) -> Flask:
    settings = app_settings(STORAGE_BACKEND="sql")
    container = build_container(load_settings(settings))
    container.sql_database.override(providers.Object(database))
    return create_app(settings, container=container)


@pytest.mark.parametrize("backend", sorted(UNREACHABLE))
def test_an_unreachable_database_answers_503(backend: str) -> None:
    app = create_app(app_settings(STORAGE_BACKEND="sql", DATABASE_URL=UNREACHABLE[backend]))
    client = app.test_client()
    response = client.get("/api/items")
    assert_envelope(response, 503)
    assert response.headers["Retry-After"]
    ready = client.get("/readyz")
    assert_envelope(ready, 503)
    assert ready.get_json()["dependencies"]["storage"]["status"] == "unavailable"


def test_connections_killed_by_the_server_are_replaced(sql_database: SqlDatabase) -> None:
    app = app_on(sql_database)
    client = app.test_client()
    assert client.get("/api/items").status_code == 200
    assert kill_other_connections(sql_database) >= 1
    # pool_pre_ping notices the dead connection and opens a new one before the query.
    assert client.get("/api/items").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_a_read_by_id_after_its_pooled_connection_was_killed_is_answered(
    sql_database: SqlDatabase,
) -> None:
    app = app_on(sql_database)
    client = app.test_client()
    token = client.get("/api/public").get_json()["token"]
    created = client.post(
        "/api/items", json={"title": "read after"}, headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert kill_other_connections(sql_database) >= 1
    # On PostgreSQL the read goes on the driver's cursor, unpinged: its first read finds the
    # connection dead and is sent again on a new one; elsewhere the pool's ping replaces it.
    read = client.get(f"/api/items/{created['id']}")
    assert read.status_code == 200, read.get_json()
    assert read.get_json() == created
    assert connections_in_use(sql_database) == 0


def test_a_write_after_its_pooled_connection_was_killed_is_stored(
    sql_database: SqlDatabase,
) -> None:
    app = app_on(sql_database)
    client = app.test_client()
    token = client.get("/api/public").get_json()["token"]
    assert client.get("/api/items").status_code == 200
    assert kill_other_connections(sql_database) >= 1
    # On PostgreSQL no ping goes first (a write's BEGIN is its ping): the BEGIN finds the
    # connection dead and is sent again on a new one; elsewhere the pool's ping replaces it.
    created = client.post(
        "/api/items", json={"title": "after the kill"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status_code == 201, created.get_json()
    assert client.get(f"/api/items/{created.get_json()['id']}").status_code == 200
    assert connections_in_use(sql_database) == 0


def test_a_unit_whose_connection_was_killed_still_returns_it_to_the_pool(
    sql_database: SqlDatabase,
) -> None:
    engine = sql_database.engine
    # Its closing rollback fails on the dead connection: Unavailable, never a driver error.
    # (A writing unit: PostgreSQL's read-only units read in autocommit and roll nothing back.)
    with pytest.raises(Unavailable), SqlAlchemyUnitOfWork(engine) as unit:
        assert unit.items.count(ItemQuery()) == 0
        assert kill_other_connections(sql_database) >= 1
    assert connections_in_use(sql_database) == 0
    with SqlAlchemyUnitOfWork(engine, read_only=True) as unit:
        assert unit.items.count(ItemQuery()) == 0


def test_a_read_only_unit_whose_connection_was_killed_after_its_reads_returns_it(
    sql_database: SqlDatabase,
) -> None:
    engine = sql_database.engine
    # Whether its end rolls back (MariaDB) or has nothing to end (PostgreSQL's autocommit),
    # the reads it made stand, and the pool replaces the connection before the next unit.
    try:
        with SqlAlchemyUnitOfWork(engine, read_only=True) as unit:
            assert unit.items.count(ItemQuery()) == 0
            assert kill_other_connections(sql_database) >= 1
    except Unavailable:
        assert not autocommit_reads(engine)
    assert connections_in_use(sql_database) == 0
    with SqlAlchemyUnitOfWork(engine, read_only=True) as unit:
        assert unit.items.count(ItemQuery()) == 0


def test_a_bulk_add_on_a_killed_connection_is_unavailable_and_the_pool_recovers(
    sql_database: SqlDatabase,
) -> None:
    engine = sql_database.engine
    # PostgreSQL's bulk add goes by COPY, beside SQLAlchemy's execution: its errors are mapped too.
    with pytest.raises(Unavailable), SqlAlchemyUnitOfWork(engine) as unit:
        assert unit.items.count(ItemQuery()) == 0
        assert kill_other_connections(sql_database) >= 1
        unit.items.add_many([an_item(), an_item()])
    assert connections_in_use(sql_database) == 0
    with SqlAlchemyUnitOfWork(engine) as unit:
        unit.items.add_many([an_item(), an_item()])
        unit.commit()
    with SqlAlchemyUnitOfWork(engine, read_only=True) as unit:
        assert unit.items.count(ItemQuery()) == 2
