"""The statements a request runs most, sent on the driver's own cursor: an entity read by id, and
one inserted.

SQLAlchemy's execution of a statement (its execution context, the compiled cache's key, the
result's metadata and Row) is about half of a read by id's CPU, on PostgreSQL as on SQLite
(docs/performance.md). Such a statement never changes: it is compiled by SQLAlchemy once per
dialect here, sent on the pooled DBAPI connection with its bound values processed by their types,
and a row read is processed by the table's column types as SQLAlchemy processes a Row's. Where
anything listens to the connection's statements (tracing's SQL spans), SQLAlchemy executes it as
usual, so that the listeners see it. Driver errors are raised as SQLAlchemy's, so
`translate_errors` maps them alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Insert, Select, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

from adapters.sql.table_rows import TableRow, result_processors, row_type
from adapters.sql.unpinged import first_read

Reader = tuple[int, Callable[[Any], Any]]  # a column's position in a row, and its processor


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    # The bound parameters' names in the order of their markers, for a positional paramstyle.
    order: tuple[str, ...] | None
    # The name in the SQL of each parameter whose name the compiler escaped, for a named one.
    escaped: tuple[tuple[str, str], ...]
    # The bound parameters that have a processor, and it.
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    # The (position, processor) of each column of a row read that has one, found at the first
    # read from the cursor's description, as SQLAlchemy keeps a compiled statement's result
    # metadata: the engine's database gives every read of the statement the same types.
    readers: list[tuple[Reader, ...]]


def first_row(
    connection: Connection, statement: Select[Any], table: Table, parameters: Mapping[str, Any]
) -> TableRow | None:
    """The first row `statement` (a SELECT of all of `table`'s columns) reads, or None."""
    if _listened(connection):
        found = connection.execute(statement, parameters).first()
        return None if found is None else row_type(table)(found)
    compiled = _compiled(statement, connection.dialect)
    bound = _bound(compiled, parameters)
    return first_read(connection, lambda: _read(connection, compiled, table, bound))


def insert_row(connection: Connection, table: Table, row: Mapping[str, Any]) -> None:
    """Insert one row of `table`; the row names every column (else SQLAlchemy fills defaults)."""
    statement = insert_of(table)
    if _listened(connection) or len(row) != len(table.c):
        connection.execute(statement, row)
        return
    compiled = _compiled(statement, connection.dialect)
    with _sent(connection, compiled, _bound(compiled, row)):
        pass  # an INSERT answers nothing to read


@contextmanager
def driver_errors(connection: Connection, statement: str, cursor: Any) -> Iterator[None]:
    """The driver's errors on a cursor of the connection's own, raised as SQLAlchemy's (a lost
    connection invalidated), as from a statement SQLAlchemy ran."""
    dialect = connection.dialect
    dbapi_error = dialect.loaded_dbapi.Error
    try:
        yield
    except dbapi_error as error:
        raw = connection.connection
        invalidated = dialect.is_disconnect(error, raw, cursor)
        if invalidated:
            connection.invalidate(error)
        raise DBAPIError.instance(
            statement, None, error, dbapi_error, dialect=dialect,
            connection_invalidated=invalidated,
        ) from error  # fmt: skip


def _begin_as_execute_would(connection: Connection) -> None:
    # SQLAlchemy begins a connection's next transaction at its first statement after a commit
    # or rollback (autobegin): a write unit's BEGIN is sent there, so a statement sent here
    # after a commit is not run outside the unit's transaction.
    if not connection.in_transaction():
        connection.begin()


def _listened(connection: Connection) -> bool:
    # The connection's dispatch includes its engine's listeners (tests/integration).
    dispatch = connection.dispatch
    return bool(dispatch.before_cursor_execute) or bool(dispatch.after_cursor_execute)


def _bound(compiled: _Compiled, parameters: Mapping[str, Any]) -> Any:
    values = dict(parameters)
    for name, process in compiled.processors:
        values[name] = process(values[name])
    if compiled.order is not None:
        return tuple(values[name] for name in compiled.order)
    for name, escaped in compiled.escaped:
        values[escaped] = values.pop(name)
    return values


@contextmanager
def _sent(connection: Connection, compiled: _Compiled, bound: Any) -> Iterator[Any]:
    """The cursor `compiled` was sent on, in the connection's transaction; driver errors of the
    block raised as SQLAlchemy's."""
    _begin_as_execute_would(connection)
    cursor = connection.connection.cursor()
    try:
        with driver_errors(connection, compiled.sql, cursor):
            cursor.execute(compiled.sql, bound)
            yield cursor
    finally:
        cursor.close()


def _read(connection: Connection, compiled: _Compiled, table: Table, bound: Any) -> TableRow | None:
    with _sent(connection, compiled, bound) as cursor:
        found = cursor.fetchone()
        if found is None:
            return None
        if not compiled.readers:
            description = tuple(each[1] for each in cursor.description)
            processors = result_processors(table, connection.dialect, description)
            compiled.readers.append(
                tuple((at, each) for at, each in enumerate(processors) if each is not None)
            )
    values = list(found)
    for at, process in compiled.readers[0]:
        values[at] = process(values[at])
    return row_type(table)(values)


@lru_cache(maxsize=256)
def insert_of(table: Table) -> Insert:
    """The INSERT of `table`, built once per table (a request's add skips its cache key)."""
    return insert(table)


@lru_cache(maxsize=256)  # bounded: every engine has a dialect of its own
def _compiled(statement: Select[Any] | Insert, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    if "__[POSTCOMPILE" in compiled.string:
        raise ValueError("a statement sent on the driver's cursor takes no expanding parameter")
    names = tuple(compiled.binds)
    escaped = getattr(compiled, "escaped_bind_names", None) or {}
    return _Compiled(
        sql=compiled.string,
        order=tuple(compiled.positiontup or ()) if dialect.positional else None,
        escaped=tuple((name, escaped[name]) for name in names if name in escaped),
        processors=tuple(
            (name, process)
            for name in names
            if (process := compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        ),
        readers=[],
    )
