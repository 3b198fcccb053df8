"""A row read or inserted on the driver's cursor is what SQLAlchemy would read or store; its
errors are SQLAlchemy's; a listener of the engine's statements still sees them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest.mock import patch

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.exc import IntegrityError

from adapters.sql.database import SqlDatabase
from adapters.sql.driver_statements import first_row, insert_row
from adapters.sql.resources import ITEMS
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.query import ItemQuery
from tests.helpers import an_item

pytestmark = pytest.mark.integration


def stored_item(database: SqlDatabase) -> str:
    item = an_item(at=datetime(2026, 1, 2, 3, 4, 5, 678_901, tzinfo=UTC))
    with database.engine.begin() as connection:
        connection.execute(ITEMS.table.insert(), ITEMS.to_row(item))
    return item.id


def test_the_row_read_on_the_driver_is_the_row_sqlalchemy_reads(
    any_sql_database: SqlDatabase,
) -> None:
    item_id = stored_item(any_sql_database)
    by_id, parameters = ITEMS.statements.by_id, {"match_id": item_id}
    with any_sql_database.engine.connect() as connection:
        with patch.object(Connection, "execute", side_effect=AssertionError("not the driver")):
            read = first_row(connection, by_id, ITEMS.table, parameters)
        expected = connection.execute(by_id, parameters).one()
        missing = first_row(connection, by_id, ITEMS.table, {"match_id": "no such id"})
    assert read is not None
    assert tuple(read) == tuple(expected)
    assert read._mapping == dict(expected._mapping)
    assert [type(value) for value in read] == [type(value) for value in expected]
    assert ITEMS.from_rows([read]) == ITEMS.from_rows([expected])
    assert missing is None


def test_a_listener_of_the_engines_statements_still_sees_the_read(
    any_sql_database: SqlDatabase,
) -> None:
    item_id = stored_item(any_sql_database)
    seen: list[str] = []

    def note(*arguments: Any) -> None:
        seen.append(arguments[2])  # (connection, cursor, statement, ...)

    engine = any_sql_database.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        with engine.connect() as connection:
            read = first_row(connection, ITEMS.statements.by_id, ITEMS.table, {"match_id": item_id})
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert read is not None and read[0] == item_id
    assert len(seen) == 1 and seen[0].startswith("SELECT")


def test_a_row_inserted_on_the_driver_reads_back_as_sqlalchemy_would_have_stored_it(
    any_sql_database: SqlDatabase,
) -> None:
    item = an_item(at=datetime(2026, 1, 2, 3, 4, 5, 678_901, tzinfo=UTC))
    twin = an_item(at=item.created_at)
    with any_sql_database.engine.begin() as connection:
        with patch.object(Connection, "execute", side_effect=AssertionError("not the driver")):
            insert_row(connection, ITEMS.table, ITEMS.to_row(item))
        connection.execute(ITEMS.table.insert(), ITEMS.to_row(twin))
    with any_sql_database.engine.connect() as connection:
        rows = connection.execute(ITEMS.table.select().order_by(ITEMS.table.c.created_at)).all()
    stored = {row.id: row for row in rows}
    assert ITEMS.from_rows([stored[item.id]]) == [item]
    # Byte for byte what SQLAlchemy's own INSERT stores (SQLite keeps the text it was given).
    assert stored[item.id][3:] == stored[twin.id][3:]


def test_a_duplicate_id_inserted_on_the_driver_is_sqlalchemys_integrity_error(
    any_sql_database: SqlDatabase,
) -> None:
    item_id = stored_item(any_sql_database)
    with any_sql_database.engine.connect() as connection:
        with pytest.raises(IntegrityError):
            insert_row(connection, ITEMS.table, ITEMS.to_row(an_item(id=item_id)))
        connection.rollback()


def test_a_listener_of_the_engines_statements_still_sees_the_insert(
    any_sql_database: SqlDatabase,
) -> None:
    seen: list[str] = []

    def note(*arguments: Any) -> None:
        seen.append(arguments[2])

    engine = any_sql_database.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        with engine.begin() as connection:
            insert_row(connection, ITEMS.table, ITEMS.to_row(an_item()))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(seen) == 1 and seen[0].startswith("INSERT")


def test_an_insert_after_a_commit_is_in_the_next_transaction_and_rolled_back_with_it(
    any_sql_database: SqlDatabase,
) -> None:
    kept, after = an_item(title="kept"), an_item(title="after the commit")
    with SqlAlchemyUnitOfWork(any_sql_database.engine) as unit:
        unit.items.add(kept)
        unit.commit()
        unit.items.add(after)
        assert unit.items.get(after.id) == after  # read in the same transaction
        unit.rollback()
    with SqlAlchemyUnitOfWork(any_sql_database.engine, read_only=True) as unit:
        assert [each.id for each in unit.items.list(ItemQuery()).items] == [kept.id]
