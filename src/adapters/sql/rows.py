"""A resource's rows as plain tuples, read and written without building entities.

A copy between two SQL stores moves every row once; building an entity of each row read and a
row of each entity written is most of its Python work. A row here holds the values an entity
would be built from: the table's columns (derived ones too), through the column types' own
result processing as SQLAlchemy applies it to a `Row`, then one list per child table.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, Table

from adapters.sql.bulk import insert_values
from adapters.sql.column_types import UtcDateTime
from adapters.sql.driver_statements import driver_errors
from adapters.sql.resource import SqlResource
from adapters.sql.table_rows import result_processors


class ReadRows(list[tuple[Any, ...]]):
    """Rows as `fetch_rows` read them, with `utc_iso`: for a timestamp column (by its position
    in a row) whose stored texts already are the ISO texts of its naive UTC times (SQLite), those
    texts, one a row, so that a canonical line need not format the times again."""

    def __init__(self, rows: Sequence[tuple[Any, ...]], utc_iso: dict[int, list[str]]) -> None:
        super().__init__(rows)
        self.utc_iso = utc_iso


def row_layout(resource: SqlResource[Any]) -> tuple[str, ...]:
    """The names of a row's values: the table's columns in order, then its child fields."""
    return (*resource.table.c.keys(), *(child.field for child in resource.children))


def fetch_rows(
    connection: Connection, resource: SqlResource[Any], statement: Select[Any]
) -> list[tuple[Any, ...]]:
    """The rows `statement` (a SELECT of the whole table) reads, their child values added."""
    result = connection.execute(statement)
    cursor = result.cursor
    try:
        with driver_errors(connection, str(statement), cursor):
            raw: list[tuple[Any, ...]] = list(cursor.fetchall())
        description = tuple(each[1] for each in cursor.description or ())
    finally:
        result.close()
    if not raw:
        return []
    dialect = connection.dialect
    processors = result_processors(resource.table, dialect, description)
    rows = raw
    utc_iso: dict[int, list[str]] = {}
    if any(processors):
        # A column at a time, as one C loop each, rather than a Python call per row.
        columns = list(zip(*raw, strict=True))
        for position, kind in _stored_iso_columns(resource.table):
            texts = kind.stored_iso_texts(dialect, columns[position])
            if texts is not None:
                utc_iso[position] = texts
        rows = list(
            zip(
                *(
                    column if process is None else map(process, column)
                    for column, process in zip(columns, processors, strict=True)
                ),
                strict=True,
            )
        )
    if not resource.children:
        return ReadRows(rows, utc_iso) if utc_iso else rows
    key = resource.table.c.keys().index("id")
    ids = [row[key] for row in rows]
    found = [child.values(connection, ids) for child in resource.children]
    rows = [(*row, *(values.get(row[key], []) for values in found)) for row in rows]
    return ReadRows(rows, utc_iso) if utc_iso else rows


def insert_plain_rows(
    connection: Connection, resource: SqlResource[Any], rows: Sequence[Any]
) -> None:
    """Insert rows laid out as `row_layout` says, and their child tables' rows."""
    names = resource.table.c.keys()
    width, key = len(names), names.index("id")
    main = rows if not resource.children else [row[:width] for row in rows]
    insert_values(connection, resource.table, names, main)
    for offset, child in enumerate(resource.children, start=width):
        values = [
            (row[key], position, value)
            for row in rows
            for position, value in enumerate(row[offset] or ())
        ]
        if values:
            insert_values(
                connection, child.table, (child.parent, child.position, child.value), values
            )


@lru_cache(maxsize=256)
def _stored_iso_columns(table: Table) -> tuple[tuple[int, UtcDateTime], ...]:
    """(position, type) of the table's columns whose type can read its stored texts as ISO
    texts (`UtcDateTime.stored_iso_texts`)."""
    return tuple(
        (position, column.type)
        for position, column in enumerate(table.c)
        if isinstance(column.type, UtcDateTime)
    )
