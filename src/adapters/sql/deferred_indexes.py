"""Secondary indexes left out while a new table is bulk-loaded, then built once over all rows.

Keeping an index up to date row by row costs the server more than building it from the loaded
rows (docs/data.md). The non-unique indexes are deferred on every server. On PostgreSQL the keys
are too, as the Mongo adapter defers its unique indexes:

- The unique constraints: a load is into an empty table from a store that held the same
  constraint, its text compared by code point as here, so building it afterwards finds no two
  rows sharing a value; if some do (a hand-edited export), the build is a Conflict naming the
  constraint and every row stays.
- The primary key of a resource held in one table, when that table holds no row yet: each row
  of a load is written once, and a resumed load, which relies on the key to find the rows it
  holds already, finds rows there and builds the key back before writing anything. A table
  that child tables refer to keeps its key (their foreign keys need it).

Elsewhere the keys stay through the load: MariaDB's comparison ignores trailing spaces, and
SQLite cannot drop a constraint.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    Connection,
    Index,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    exists,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import DropConstraint

from core.errors import Conflict

Key = UniqueConstraint | PrimaryKeyConstraint
Deferred = Index | Key


def secondary_indexes(connection: Connection, tables: Iterable[Table]) -> list[Deferred]:
    """The indexes a load into the tables (a resource's, its main table first) goes without on
    this connection's server."""
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
        if len(tables) == 1:
            indexes.append(tables[0].primary_key)
    return indexes


def drop_secondary_indexes(connection: Connection, tables: Iterable[Table]) -> None:
    """Drop those of the indexes that exist (a resumed load finds them dropped already); a
    primary key only from a table that holds nothing, and built back in one that holds rows."""
    for index in secondary_indexes(connection, tables):
        if isinstance(index, Index):
            index.drop(connection, checkfirst=True)
        elif isinstance(index, PrimaryKeyConstraint) and _holds_rows(connection, index.table):
            _create(connection, index)
        elif _present(connection, index):
            connection.execute(DropConstraint(index))


def create_secondary_indexes(connection: Connection, tables: Iterable[Table]) -> None:
    """Create those of the indexes that are missing, the keys' whole."""
    for index in secondary_indexes(connection, tables):
        _create(connection, index)


def create_secondary_index(connection: Connection, tables: Iterable[Table], name: str) -> None:
    """Build the one of the indexes named so, when it is missing: of a key its index, which
    `create_secondary_indexes` then makes the key's, after every build.

    A key is built as a unique index first, under the lock CREATE INDEX takes, which lets the
    table's other indexes build beside it: ADD CONSTRAINT would hold the table's exclusive lock
    for the whole build, and two of them side by side would deadlock.
    """
    for index in secondary_indexes(connection, tables):
        if index.name == name:
            _build(connection, index)


def _create(connection: Connection, index: Deferred) -> None:
    _build(connection, index)
    if isinstance(index, Index) or _present(connection, index):
        return
    # The key takes the index built for it as its own, as it would have made it.
    kind = "PRIMARY KEY" if isinstance(index, PrimaryKeyConstraint) else "UNIQUE"
    name = connection.dialect.identifier_preparer.quote(str(index.name))
    table = connection.dialect.identifier_preparer.format_table(index.table)
    connection.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {kind} USING INDEX {name}"))


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
        article = "an" if shared[0] in "aeiou" else "a"
        kind = "primary key" if isinstance(index, PrimaryKeyConstraint) else "unique constraint"
        raise Conflict(
            f"{index.table.name}: two stored rows share {article} {shared}, so its {kind}"
            f" {index.name} cannot be created; the rows are kept without it"
        ) from error


def _holds_rows(connection: Connection, table: Table) -> bool:
    return bool(connection.execute(select(exists().select_from(table))).scalar())


def _index_present(connection: Connection, key: Key) -> bool:
    """Whether the key's index is built, not yet the key's."""
    held = inspect(connection).get_indexes(key.table.name, schema=key.table.schema)
    return any(each["name"] == key.name for each in held)


def _present(connection: Connection, key: Key) -> bool:
    table = key.table
    if isinstance(key, PrimaryKeyConstraint):
        primary = inspect(connection).get_pk_constraint(table.name, schema=table.schema)
        return bool(primary.get("constrained_columns")) and primary.get("name") == key.name
    held = inspect(connection).get_unique_constraints(table.name, schema=table.schema)
    return any(each["name"] == key.name for each in held)
