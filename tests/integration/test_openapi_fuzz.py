"""schemathesis against the service's own /openapi.json: no 5xx, every answer as documented.

Runs in process (WSGI) on the memory backend and on SQLite, with a real user's token, a
bounded number of examples per operation, and every schemathesis check but one:
`positive_data_acceptance` expects any schema-valid request to succeed, while some rules are
beyond what a schema can say (a username taken in any letter case is 409, a password equal to
the username is 422); those answers are documented and covered by the HTTP suites.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS

from adapters.sql.database import db_create_all
from api import create_app
from tests.helpers import app_settings

EXAMPLES_PER_OPERATION = 60
PASSWORD = "correct horse battery"
CHECKED = [check for check in CHECKS.get_all() if check.__name__ != "positive_data_acceptance"]
FOLDER = Path(tempfile.mkdtemp(prefix="hexapi-fuzz-"))
BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def build(**overrides: Any) -> tuple[Flask, dict[str, str]]:
    """An app and the headers of a registered user's token."""
    app = create_app(app_settings(RATELIMIT_ENABLED=False, REQUEST_LOG=False, **overrides))
    if overrides.get("STORAGE_BACKEND") == "sql":
        db_create_all(app.extensions["container"].sql_database().engine)
    client = app.test_client()
    client.post("/api/users", json={"username": "fuzzer", "password": PASSWORD})
    login = client.post("/api/auth/token", json={"username": "fuzzer", "password": PASSWORD})
    return app, {"Authorization": f"Bearer {login.get_json()['token']}"}


memory_app, memory_headers = build()
sqlite_app, sqlite_headers = build(
    STORAGE_BACKEND="sql", DATABASE_URL=f"sqlite:///{FOLDER / 'fuzz.db'}"
)
memory_schema = schemathesis.openapi.from_wsgi("/openapi.json", memory_app)
sqlite_schema = schemathesis.openapi.from_wsgi("/openapi.json", sqlite_app)


@pytest.fixture(scope="module", autouse=True)
def remove_the_sqlite_file() -> Iterator[None]:
    yield
    sqlite_app.extensions["container"].sql_database().dispose()
    shutil.rmtree(FOLDER, ignore_errors=True)


@memory_schema.parametrize()
@BOUNDED
def test_every_operation_answers_as_documented_on_memory(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=memory_headers, checks=CHECKED)


@sqlite_schema.parametrize()
@BOUNDED
def test_every_operation_answers_as_documented_on_sqlite(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=sqlite_headers, checks=CHECKED)
