"""The Repository and HTTP resource contracts on every declared resource, on each SQL backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dependency_injector import providers
from flask import Flask
from sqlalchemy import Engine

from adapters.sql.database import SqlDatabase, db_create_all, open_sql_database
from adapters.sql.unit_of_work import sql_units
from api.resource import sql_declarations
from core.ports.unit_of_work import UnitOfWorkFactory
from tests.contract.declared import create_tables, drop_tables, empty_tables
from tests.contract.declared_clients import DeclaredClients, declared_app
from tests.contract.declared_specs import DECLARED, REPOSITORY_SPECS
from tests.contract.http_resource_contract import HttpResourceContract
from tests.contract.resource_contract import ResourceContract
from tests.contract.resource_spec import ResourceSpec
from tests.helpers import app_settings
from tests.integration.servers import empty_tables as empty_product_tables
from tests.shared_apps import reset_app


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlDatabase]:
    """One SQLite file for the module, emptied after each test as a server's database is.

    A new file per test, every table created in it, took most of a SQLite test's time.
    """
    folder = tmp_path_factory.mktemp("declared")
    database = open_sql_database(f"sqlite:///{folder / 'test.db'}")
    db_create_all(database.engine)
    create_tables(database.engine)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def servers_with_tables() -> Iterator[dict[str, Engine]]:
    """The servers' databases that hold the test resources' tables, dropped after the module."""
    made: dict[str, Engine] = {}
    yield made
    for engine in made.values():
        drop_tables(engine)


@pytest.fixture
def declared_database(
    any_sql_database: SqlDatabase, servers_with_tables: dict[str, Engine]
) -> Iterator[SqlDatabase]:
    """SQLite, PostgreSQL, MariaDB: migrated, with the test resources' tables, all empty.

    A server's tables are created once and emptied after each test: creating and dropping
    them for every test took most of a test's time on MariaDB (about 1.3 s of DDL).
    """
    engine = any_sql_database.engine
    if engine.dialect.name == "sqlite":  # the module's file, its tables made with it
        yield any_sql_database
        empty_tables(engine)
        empty_product_tables(any_sql_database)
        return
    key = engine.url.render_as_string()
    if key not in servers_with_tables:
        create_tables(engine)
        servers_with_tables[key] = engine
    yield any_sql_database
    empty_tables(engine)


class TestDeclaredInSql(ResourceContract):
    """Each declared resource through SqlRepository."""

    @pytest.fixture(params=REPOSITORY_SPECS, ids=str)
    def spec(self, request: pytest.FixtureRequest) -> ResourceSpec:
        return request.param  # type: ignore[no-any-return]

    @pytest.fixture
    def uow(self, declared_database: SqlDatabase) -> UnitOfWorkFactory:
        return sql_units(declared_database.engine, sql_declarations(DECLARED))


class TestDeclaredOverHttpInSql(DeclaredClients, HttpResourceContract):
    """STORAGE_BACKEND=sql on each SQL backend.

    The conditional and precondition contracts read headers and versions the Repository contract
    already proves on SQL: they run on declared resources in memory and on mongomock
    (tests/unit/test_http_declared.py, tests/integration/test_declared_mongomock.py) and on
    items on every SQL backend, not again here.
    """

    @pytest.fixture(scope="class")
    @classmethod
    def apps(cls) -> dict[str, Flask]:
        """One app per database, reset before each test: building one cost most of a test."""
        return {}

    @pytest.fixture
    def app(self, declared_database: SqlDatabase, apps: dict[str, Flask]) -> Flask:
        url = declared_database.engine.url.render_as_string(hide_password=False)
        if url not in apps:
            settings = app_settings(STORAGE_BACKEND="sql", DATABASE_URL=url)
            apps[url] = declared_app(settings, sql_database=providers.Object(declared_database))
        return reset_app(apps[url])
