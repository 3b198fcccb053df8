"""The Repository and HTTP resource contracts on every declared resource, on each SQL backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dependency_injector import providers
from flask import Flask

from adapters.sql.database import SqlDatabase
from adapters.sql.unit_of_work import sql_units
from api.resource import sql_declarations
from core.ports.unit_of_work import UnitOfWorkFactory
from tests.contract.declared import create_tables, drop_tables
from tests.contract.declared_clients import DeclaredClients, declared_app
from tests.contract.declared_specs import DECLARED, REPOSITORY_SPECS
from tests.contract.http_resource_contract import HttpResourceContract
from tests.contract.resource_contract import ResourceContract
from tests.contract.resource_spec import ResourceSpec
from tests.helpers import app_settings


@pytest.fixture
def declared_database(any_sql_database: SqlDatabase) -> Iterator[SqlDatabase]:
    """SQLite, PostgreSQL, MariaDB: migrated, with the test resources' tables, all empty."""
    create_tables(any_sql_database.engine)
    yield any_sql_database
    drop_tables(any_sql_database.engine)


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
    (tests/unit/test_http_declared.py) and on items on every SQL backend, not again here.
    """

    @pytest.fixture
    def app(self, declared_database: SqlDatabase) -> Flask:
        settings = app_settings(
            STORAGE_BACKEND="sql",
            DATABASE_URL=declared_database.engine.url.render_as_string(hide_password=False),
        )
        return declared_app(settings, sql_database=providers.Object(declared_database))
