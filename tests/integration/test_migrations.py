"""Alembic migrations build exactly the models' schema, and revert cleanly, on every server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url

from adapters.sql import migrate
from adapters.sql.database import create_sql_engine
from adapters.sql.schema import schema
from tests.integration.servers import SERVERS, fresh_database, server_url

BACKENDS = ["sqlite", *sorted(SERVERS)]


@pytest.fixture(scope="module", params=BACKENDS)
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a database the whole chain migrated from empty, one per backend.

    Each test leaves it migrated as it found it: a new database per test, migrated again,
    took most of this module's time on the servers.
    """
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("migrations")
        engine = create_sql_engine(make_url(f"sqlite:///{folder / 'migrations.db'}"))
        migrate.upgrade(engine)
        yield engine
        engine.dispose()
        return
    with fresh_database(server_url(SERVERS[request.param])) as url:
        engine = create_sql_engine(url)
        migrate.upgrade(engine)
        yield engine
        engine.dispose()


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_the_head_is_the_newest_numbered_revision() -> None:
    numbers = [path.name[:4] for path in (migrate.MIGRATIONS / "versions").glob("[0-9]*.py")]
    assert migrate.head_revision() == max(numbers)


def test_the_migrated_schema_equals_the_models(migrated_engine: Engine) -> None:
    assert migrate.current_revision(migrated_engine) == migrate.head_revision()
    assert migrate.schema_drift(migrated_engine) == []


def test_upgrade_downgrade_upgrade_round_trips(migrated_engine: Engine) -> None:
    migrate.downgrade(migrated_engine, "base")
    assert tables(migrated_engine) <= {"alembic_version"}
    assert migrate.current_revision(migrated_engine) is None
    migrate.upgrade(migrated_engine)
    assert {"items", "users"} <= tables(migrated_engine)
    assert migrate.schema_drift(migrated_engine) == []


def test_drift_is_detected_when_a_table_is_missing(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE users")
    try:
        assert [change[0] for change in migrate.schema_drift(migrated_engine)] == ["add_table"]
    finally:
        schema().tables["users"].create(migrated_engine)
    assert migrate.schema_drift(migrated_engine) == []
