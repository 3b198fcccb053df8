"""Alembic migrations build exactly the models' schema, and revert cleanly, on every server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url

from adapters.sql import migrate
from adapters.sql.database import create_sql_engine
from tests.integration.servers import SERVERS, fresh_database, server_url

BACKENDS = ["sqlite", *sorted(SERVERS)]


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no table at all."""
    if request.param == "sqlite":
        engine = create_sql_engine(make_url(f"sqlite:///{tmp_path / 'migrations.db'}"))
        yield engine
        engine.dispose()
        return
    with fresh_database(server_url(SERVERS[request.param])) as url:
        engine = create_sql_engine(url)
        yield engine
        engine.dispose()


def test_the_head_is_the_newest_numbered_revision() -> None:
    numbers = [path.name[:4] for path in (migrate.MIGRATIONS / "versions").glob("[0-9]*.py")]
    assert migrate.head_revision() == max(numbers)


def test_the_migrated_schema_equals_the_models(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()
    assert migrate.schema_drift(empty_engine) == []


def test_upgrade_downgrade_upgrade_round_trips(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    assert migrate.current_revision(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert {"items", "users"} <= set(inspect(empty_engine).get_table_names())
    assert migrate.schema_drift(empty_engine) == []


def test_drift_is_detected_when_a_table_is_missing(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE users")
    assert [change[0] for change in migrate.schema_drift(empty_engine)] == ["add_table"]
