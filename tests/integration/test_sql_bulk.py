"""Bulk rows on each SQL backend: COPY (binary or text) on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import JSON, Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql

from adapters.sql.bulk import insert_rows
from adapters.sql.column_types import UtcDateTime
from adapters.sql.database import SqlDatabase
from adapters.sql.errors import translate_errors
from core.errors import Conflict
from tests.helpers import unique


def a_table(*extra: Column[object]) -> Table:
    return Table(
        unique("bulk").replace("-", "_"),
        MetaData(),
        Column("id", String(32), primary_key=True),
        Column("at", UtcDateTime(), nullable=False),
        Column("tags", JSON, nullable=False),
        *extra,
    )


@pytest.fixture
def table(any_sql_database: SqlDatabase) -> Iterator[Table]:
    made = a_table()
    made.create(any_sql_database.engine)
    yield made
    made.drop(any_sql_database.engine)


ROWS = [
    {"id": f"r{n}", "at": datetime(2026, 1, 1, 0, 0, n, 1013 * n, tzinfo=UTC), "tags": ["é", n]}
    for n in range(1, 7)
]


def test_the_rows_are_stored_with_their_types_processed(
    any_sql_database: SqlDatabase, table: Table
) -> None:
    with any_sql_database.engine.begin() as connection:
        insert_rows(connection, table, ROWS)
    with any_sql_database.engine.connect() as connection:
        stored = connection.execute(select(table).order_by(table.c.id)).mappings().all()
    assert [dict(row) for row in stored] == ROWS


def test_a_taken_key_is_a_conflict_and_nothing_is_stored(
    any_sql_database: SqlDatabase, table: Table
) -> None:
    with pytest.raises(Conflict), any_sql_database.engine.begin() as connection:
        with translate_errors("row"):
            insert_rows(connection, table, [*ROWS, ROWS[0]])
    with any_sql_database.engine.connect() as connection:
        assert connection.execute(select(table)).all() == []


def test_a_column_psycopg_cannot_write_in_binary_goes_by_text_copy(
    postgresql_server_database: SqlDatabase,
) -> None:
    engine = postgresql_server_database.engine
    made = a_table(Column("address", postgresql.MACADDR, nullable=False))
    made.create(engine)
    try:
        rows = [{**row, "address": f"08:00:2b:01:02:0{n}"} for n, row in enumerate(ROWS)]
        with engine.begin() as connection:
            insert_rows(connection, made, rows)
        with engine.connect() as connection:
            stored = connection.execute(select(made).order_by(made.c.id)).mappings().all()
        assert [dict(row) for row in stored] == rows
    finally:
        made.drop(engine)


class InterruptedAt(dict[str, object]):
    """A row whose `tags` cannot be read: SIGINT arriving while the rows stream."""

    def __getitem__(self, name: str) -> object:
        if name == "tags":
            raise KeyboardInterrupt
        return super().__getitem__(name)


def test_an_interrupt_mid_stream_drops_the_connection_and_stores_nothing(
    any_sql_database: SqlDatabase, table: Table
) -> None:
    engine = any_sql_database.engine
    rows = [*ROWS[:3], InterruptedAt(ROWS[3]), *ROWS[4:]]
    with pytest.raises(KeyboardInterrupt), engine.begin() as connection:
        insert_rows(connection, table, rows)
    # The pool holds no connection left inside the COPY: the next unit works.
    with engine.connect() as connection:
        assert connection.execute(select(table)).all() == []
    assert any_sql_database.engine.pool.checkedout() == 0
