"""The HTTP suite on PostgreSQL and MariaDB/MySQL."""

from __future__ import annotations

import pytest
from dependency_injector import providers
from flask import Flask

from adapters.sql.database import SqlDatabase
from api import create_app
from api.app import build_container
from api.settings import load_settings
from tests.contract.http_suite import HttpSuite
from tests.helpers import app_settings


class TestHttpOnServers(HttpSuite):
    """STORAGE_BACKEND=sql on each real server (ids show which: postgresql, mysql)."""

    @pytest.fixture
    def app(self, sql_database: SqlDatabase) -> Flask:
        settings = app_settings(
            STORAGE_BACKEND="sql",
            DATABASE_URL=sql_database.engine.url.render_as_string(hide_password=False),
        )
        container = build_container(load_settings(settings))
        container.sql_database.override(providers.Object(sql_database))
        return create_app(settings, container=container)
