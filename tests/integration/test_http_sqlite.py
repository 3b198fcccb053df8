"""The HTTP suite on the embedded default: SQLite and file-backed sessions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from adapters.sql.database import db_create_all
from api import create_app
from tests.contract.http_suite import HttpSuite
from tests.helpers import app_settings


class TestHttpOnSqlite(HttpSuite):
    """STORAGE_BACKEND=sql on a SQLite file, sessions in files, as `make run` serves."""

    @pytest.fixture
    def app(self, tmp_path: Path) -> Iterator[Flask]:
        settings = app_settings(
            STORAGE_BACKEND="sql",
            SESSION_TYPE="filesystem",
            INSTANCE_PATH=str(tmp_path),
            DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}",
        )
        app = create_app(settings)
        database = app.extensions["container"].sql_database()
        db_create_all(database.engine)
        yield app
        database.dispose()
