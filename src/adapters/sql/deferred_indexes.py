"""Secondary indexes left out while a new table is bulk-loaded, then built once over all rows.

Keeping an index up to date row by row costs the server more than building it from the loaded
rows (docs/data.md). The non-unique indexes are deferred on every server. On PostgreSQL the unique
constraints are too, as the Mongo adapter defers its unique indexes: a load is into an empty
table from a store that held the same constraint, its text compared by code point as here, so
building it afterwards finds no two rows sharing a value; if some do (a hand-edited export), the
build is a Conflict naming the constraint and every row stays. Elsewhere they stay through the
load, where MariaDB's comparison ignores trailing spaces and SQLite cannot drop a constraint.
The primary keys always stay: a resumed load relies on them to find the rows it holds already.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Index, Table, UniqueConstraint, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import DropConstraint

from core.errors import Conflict

Deferred = Index | UniqueConstraint


def secondary_indexes(connection: Connection, tables: Iterable[Table]) -> list[Deferred]:
    """The indexes the tables' load goes without on this connection's server."""
    tables = list(tables)
    indexes: list[Deferred] = [
        index for table in tables for index in table.indexes if not index.unique
    ]
    if connection.dialect.name == "postgresql":
        indexes += [
            each
            for table in tables
            for each in table.constraints
            if isinstance(each, UniqueConstraint)
        ]
    return indexes


def drop_secondary_indexes(connection: Connection, tables: Iterable[Table]) -> None:
    """Drop those of the indexes that exist (a resumed load finds them dropped already)."""
    for index in secondary_indexes(connection, tables):
        if isinstance(index, Index):
            index.drop(connection, checkfirst=True)
        elif _present(connection, index):
            connection.execute(DropConstraint(index))


def create_secondary_indexes(connection: Connection, tables: Iterable[Table]) -> None:
    """Create those of the indexes that are missing, the unique constraints' whole."""
    for index in secondary_indexes(connection, tables):
        _build(connection, index)
        if isinstance(index, UniqueConstraint) and not _present(connection, index):
            # The constraint takes the index built for it as its own, as it would have made it.
            name = connection.dialect.identifier_preparer.quote(str(index.name))
            table = connection.dialect.identifier_preparer.format_table(index.table)
            connection.execute(
                text(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")
            )


def create_secondary_index(connection: Connection, tables: Iterable[Table], name: str) -> None:
    """Build the one of the indexes named so, when it is missing: of a unique constraint its
    index, which `create_secondary_indexes` then makes the constraint's, after every build.

    A unique constraint is built as a unique index first, under the lock CREATE INDEX takes,
    which lets the table's other indexes build beside it: ADD CONSTRAINT would hold the table's
    exclusive lock for the whole build, and two of them in parallel would deadlock.
    """
    for index in secondary_indexes(connection, tables):
        if index.name == name:
            _build(connection, index)


def _build(connection: Connection, index: Deferred) -> None:
    if isinstance(index, Index):
        index.create(connection, checkfirst=True)
        return
    if _present(connection, index) or _index_present(connection, index):
        return
    quote = connection.dialect.identifier_preparer.quote
    table = connection.dialect.identifier_preparer.format_table(index.table)
    columns = ", ".join(quote(column.name) for column in index.columns)
    try:
        connection.execute(
            text(f"CREATE UNIQUE INDEX {quote(str(index.name))} ON {table} ({columns})")
        )
    except IntegrityError as error:
        shared = ", ".join(column.name for column in index.columns)
        raise Conflict(
            f"{index.table.name}: two stored rows share a {shared}, so its unique constraint"
            f" {index.name} cannot be created; the rows are kept without it"
        ) from error


def _index_present(connection: Connection, constraint: UniqueConstraint) -> bool:
    """Whether the constraint's index is built, not yet the constraint's."""
    table = constraint.table
    held = inspect(connection).get_indexes(table.name, schema=table.schema)
    return any(each["name"] == constraint.name for each in held)


def _present(connection: Connection, constraint: UniqueConstraint) -> bool:
    table = constraint.table
    held = inspect(connection).get_unique_constraints(table.name, schema=table.schema)
    return any(each["name"] == constraint.name for each in held)
