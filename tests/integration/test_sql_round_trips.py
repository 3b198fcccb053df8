"""What a unit costs: an offset page and its total in one statement; on PostgreSQL a read
without a transaction, and neither a read nor a write pinged first."""

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


@contextmanager
def sent_after_first_unit(engine: Engine) -> Iterator[list[str]]:
    """libpq's trace of what the units of the block send, once one unit has opened a connection
    (its set-up queries come first); the list is filled when the block ends."""
    sent: list[str] = []
    with tempfile.TemporaryFile("w+") as trace:

        @event.listens_for(engine, "connect")
        def traced(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.pgconn.trace(trace.fileno())

        try:
            engine.dispose()
            with SqlAlchemyUnitOfWork(engine, read_only=True) as unit:
                unit.items.count(ItemQuery())
            start = os.fstat(trace.fileno()).st_size
            yield sent
            trace.seek(start)
            sent.extend(trace.read().splitlines())
        finally:
            event.remove(engine, "connect", traced)
            engine.dispose()


def waits(sent: list[str]) -> list[str]:
    return [line for line in sent if WAITS.search(line)]


def test_a_read_on_postgresql_waits_for_the_server_once_without_a_transaction(
    postgresql_server_database: SqlDatabase,
) -> None:
    database = postgresql_server_database
    empty_tables(database)
    ids = stored(database, 3)
    uow = partial(SqlAlchemyUnitOfWork, database.engine, read_only=True)
    try:
        with sent_after_first_unit(database.engine) as sent:
            with uow() as unit:
                assert unit.items.get(ids[1]).id == ids[1]
            with uow() as unit:
                assert unit.items.list(ItemQuery(limit=2)).total == 3
    finally:
        empty_tables(database)
    assert not re.search(r"BEGIN|ROLLBACK|COMMIT", "\n".join(sent))
    # Each unit: its one statement, no ping before it (test_sql_outages.py: a dead connection).
    assert len(waits(sent)) == 2, waits(sent)


def test_a_write_on_postgresql_waits_for_its_begin_statement_and_commit_only(
    postgresql_server_database: SqlDatabase,
) -> None:
    database = postgresql_server_database
    empty_tables(database)
    item = an_item()
    try:
        with sent_after_first_unit(database.engine) as sent:
            with SqlAlchemyUnitOfWork(database.engine) as unit:
                unit.items.add(item)
                unit.commit()
        with SqlAlchemyUnitOfWork(database.engine, read_only=True) as unit:
            assert unit.items.get(item.id) == item
    finally:
        empty_tables(database)
    # No ping: the BEGIN, sent first, is what finds a dead connection (test_sql_outages.py).
    # A simple Query with its text; the INSERT goes by the extended protocol, ending in a Sync.
    kinds = [re.sub(r".*\t(Query|Sync)\b\s*(\d+ )?", r"\1 ", line).strip() for line in waits(sent)]
    assert kinds == ['Query "BEGIN"', "Sync", 'Query "COMMIT"']


def test_a_write_that_does_not_commit_leaves_nothing_on_postgresql(
    postgresql_server_database: SqlDatabase,
) -> None:
    # Its statements run in autocommit after its own BEGIN: psycopg's rollback (at the unit's
    # end) and commit must still end that transaction, which they do by the server's status.
    database = postgresql_server_database
    empty_tables(database)
    kept, dropped = an_item(title="kept"), an_item(title="dropped")
    try:
        with SqlAlchemyUnitOfWork(database.engine) as unit:
            unit.items.add(dropped)
        with SqlAlchemyUnitOfWork(database.engine) as unit:
            unit.items.add(kept)
            unit.commit()
            unit.items.add(an_item(title="after the commit"))
            unit.rollback()
        with SqlAlchemyUnitOfWork(database.engine, read_only=True) as unit:
            assert [each.id for each in unit.items.list(ItemQuery()).items] == [kept.id]
    finally:
        empty_tables(database)
