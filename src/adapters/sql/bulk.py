"""Many rows into one table at once: COPY on PostgreSQL, the driver's executemany elsewhere.

psycopg 3 pipelines an executemany as one INSERT per row, each parsed, bound and answered by
the server; COPY streams the rows in one statement, several times as fast (docs/data.md).
PyMySQL already folds an executemany into multi-row INSERTs, and SQLite runs it in process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect

from adapters.batching import batched
from adapters.sql.column_types import UtcDateTime
from adapters.sql.driver_statements import driver_errors, insert_of, insert_row

Processor = Callable[[Any], Any] | None


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert the rows (each naming the same columns) in the connection's transaction.

    Driver errors arrive as SQLAlchemy's, as from any statement: `translate_errors` maps a
    unique violation to Conflict whichever way the rows went.
    """
    if not rows:
        return
    if len(rows) == 1:
        # A request's add: one INSERT, on the driver's cursor (traced where tracing listens),
        # and no round trip to look up the column types.
        insert_row(connection, table, rows[0])
        return
    if connection.dialect.name == "postgresql":
        names = tuple(rows[0])
        _copy(connection, table, names, [[row[name] for name in names] for row in rows])
        return
    statement = insert_of(table)
    for batch in batched(rows):
        connection.execute(statement, batch)


def insert_values(
    connection: Connection,
    table: Table,
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert rows given as the values of the columns `names`, in that order (see insert_rows)."""
    if connection.dialect.name == "postgresql" and len(rows) > 1:
        _copy(connection, table, tuple(names), rows)
    else:
        insert_rows(connection, table, [dict(zip(names, row, strict=True)) for row in rows])


def _copy(
    connection: Connection, table: Table, names: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> None:
    dialect = connection.dialect
    # The column types' own bind processing (aware UTC datetimes, JSON), as an INSERT applies,
    # a column at a time: one C loop over each column that has any.
    # A column the type would pass unchanged (aware UTC datetimes into PostgreSQL) is not
    # run through it: one pass over its values' types instead of a call per value.
    processors = _processors(table, names, dialect)
    values: Iterable[Sequence[Any]] = rows
    if any(processors):
        columns = zip(*rows, strict=True)
        kinds = [table.c[name].type for name in names]
        values = zip(
            *(
                column
                if process is None or _binds_unchanged(kind, dialect, column)
                else list(map(process, column))
                for column, process, kind in zip(columns, processors, kinds, strict=True)
            ),
            strict=True,
        )
    preparer = dialect.identifier_preparer
    statement = (
        f"COPY {preparer.format_table(table)} ({', '.join(map(preparer.quote, names))}) FROM STDIN"
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with driver_errors(connection, statement, cursor):
            types = _binary_types(cursor, preparer.format_table(table), names)
            with cursor.copy(
                statement if types is None else f"{statement} (FORMAT BINARY)"
            ) as copy:
                if types is not None:
                    copy.set_types(types)
                write = copy.write_row
                for row in values:
                    write(row)
    finally:
        with suppress(dialect.loaded_dbapi.Error):  # a cursor of a lost connection may not close
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


def _binds_unchanged(kind: Any, dialect: Dialect, column: Sequence[Any]) -> bool:
    return isinstance(kind, UtcDateTime) and kind.binds_unchanged(dialect, column)


@lru_cache(maxsize=256)  # bounded: every engine has a dialect of its own
def _processors(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[Processor, ...]:
    return tuple(table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)
