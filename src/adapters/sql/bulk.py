"""Many rows into one table at once: COPY on PostgreSQL, the driver's executemany elsewhere.

psycopg 3 pipelines an executemany as one INSERT per row, each parsed, bound and answered by
the server; COPY streams the rows in one statement, several times as fast (docs/data.md).
PyMySQL already folds an executemany into multi-row INSERTs, and SQLite runs it in process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Insert, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

from adapters.batching import batched

Processor = Callable[[Any], Any] | None


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert the rows (each naming the same columns) in the connection's transaction.

    Driver errors arrive as SQLAlchemy's, as from any statement: `translate_errors` maps a
    unique violation to Conflict whichever way the rows went.
    """
    if not rows:
        return
    # One row (a request's add) stays one INSERT: a statement SQLAlchemy traces, and no round
    # trip to look up the column types.
    if connection.dialect.name == "postgresql" and len(rows) > 1:
        _copy(connection, table, rows)
        return
    statement = _insert(table)
    for batch in batched(rows):
        connection.execute(statement, batch)


@lru_cache(maxsize=256)
def _insert(table: Table) -> Insert:
    # Built once per table, so a request's add skips building the statement's cache key.
    return insert(table)


def _copy(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    dialect = connection.dialect
    names = tuple(rows[0])
    # The column types' own bind processing (aware UTC datetimes, JSON), as an INSERT applies.
    converted = tuple(zip(names, _processors(table, names, dialect), strict=True))
    preparer = dialect.identifier_preparer
    statement = (
        f"COPY {preparer.format_table(table)} ({', '.join(map(preparer.quote, names))}) FROM STDIN"
    )
    dbapi_error = dialect.loaded_dbapi.Error
    raw = connection.connection
    cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        types = _binary_types(cursor, preparer.format_table(table), names)
        with cursor.copy(statement if types is None else f"{statement} (FORMAT BINARY)") as copy:
            if types is not None:
                copy.set_types(types)
            write = copy.write_row
            for row in rows:
                write([row[n] if process is None else process(row[n]) for n, process in converted])
    except dbapi_error as error:
        invalidated = dialect.is_disconnect(error, raw, cursor)
        if invalidated:
            connection.invalidate(error)
        raise DBAPIError.instance(
            statement, None, error, dbapi_error, dialect=dialect,
            connection_invalidated=invalidated,
        ) from error  # fmt: skip
    finally:
        with suppress(dbapi_error):  # a cursor of a lost connection may not close
            cursor.close()


def _binary_types(cursor: Any, table: str, names: tuple[str, ...]) -> list[int] | None:
    """The columns' type oids, as the server has them now, when psycopg can write each in
    COPY's binary format (no text to format here, none to parse there); else None."""
    from psycopg import ProgrammingError, pq  # noqa: PLC0415 - only PostgreSQL reaches here

    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    )
    oids = dict(cursor.fetchall())
    types = [oids[name] for name in names]
    try:
        for oid in set(types):
            cursor.adapters.get_dumper_by_oid(oid, pq.Format.BINARY)
    except ProgrammingError:
        return None
    return types


@lru_cache(maxsize=256)  # bounded: every engine has a dialect of its own
def _processors(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[Processor, ...]:
    return tuple(table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)
