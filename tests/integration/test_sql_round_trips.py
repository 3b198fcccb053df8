"""What a read costs: an offset page and its total in one statement, on PostgreSQL no BEGIN."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import Engine, event

from adapters.sql.database import SqlDatabase
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.query import ItemQuery
from tests.helpers import an_item
from tests.integration.servers import empty_tables

# libpq's trace line of each message the client sends that waits for the server's answer.
WAITS = re.compile(r"\tF\t\d+\t(Query|Sync)\b")


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The statements SQLAlchemy hands the driver inside the block."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def stored(database: SqlDatabase, count: int) -> list[str]:
    items = [an_item(title=f"item {number:02}") for number in range(count)]
    with SqlAlchemyUnitOfWork(database.engine) as unit:
        unit.items.add_many(items)
        unit.commit()
    return [item.id for item in items]


def test_an_offset_page_and_its_total_are_one_statement(any_sql_database: SqlDatabase) -> None:
    stored(any_sql_database, 7)
    uow = partial(SqlAlchemyUnitOfWork, any_sql_database.engine, read_only=True)
    for query, total in ((ItemQuery(limit=3), 7), (ItemQuery(limit=3, offset=6), 7)):
        with statements(any_sql_database.engine) as seen, uow() as unit:
            page = unit.items.list(query)
        assert (page.total, len(seen)) == (total, 1)
    with statements(any_sql_database.engine) as seen, uow() as unit:
        past_the_end = unit.items.list(ItemQuery(limit=3, offset=30))
    # An empty page past the end has no row to carry the total: a COUNT of its own.
    assert (past_the_end.items, past_the_end.total, len(seen)) == ([], 7, 2)


def test_a_read_on_postgresql_waits_for_the_server_once_without_a_transaction(
    postgresql_server_database: SqlDatabase,
) -> None:
    database = postgresql_server_database
    empty_tables(database)
    engine = database.engine
    ids = stored(database, 3)
    with tempfile.TemporaryFile("w+") as trace:

        @event.listens_for(engine, "connect")
        def traced(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.pgconn.trace(trace.fileno())

        try:
            engine.dispose()
            uow = partial(SqlAlchemyUnitOfWork, engine, read_only=True)
            with uow() as unit:  # a new connection: its set-up queries come first
                unit.items.get(ids[0])
            start = os.fstat(trace.fileno()).st_size
            with uow() as unit:
                assert unit.items.get(ids[1]).id == ids[1]
            with uow() as unit:
                assert unit.items.list(ItemQuery(limit=2)).total == 3
            trace.seek(start)
            sent = trace.read()
        finally:
            event.remove(engine, "connect", traced)
            engine.dispose()
            empty_tables(database)
    waits = [line for line in sent.splitlines() if WAITS.search(line)]
    assert not re.search(r"BEGIN|ROLLBACK|COMMIT", sent)
    # Each unit: the pool's ping of the connection, then its one statement.
    assert len(waits) == 4, waits
