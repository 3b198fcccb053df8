"""Secondary indexes left out while a new table is bulk-loaded, then built once over all rows.

Keeping an index up to date row by row costs the server more than building it from the loaded
rows (docs/data.md). Only non-unique indexes are deferred: the primary key and the unique
constraints stay, so a row already held or a taken unique value is still refused as a
Conflict while loading.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Index, Table


def secondary_indexes(tables: Iterable[Table]) -> list[Index]:
    """The non-unique indexes of the tables, as the schema declares them."""
    return [index for table in tables for index in table.indexes if not index.unique]


def drop_secondary_indexes(connection: Connection, tables: Iterable[Table]) -> None:
    """Drop those of the indexes that exist (a resumed load finds them dropped already)."""
    for index in secondary_indexes(tables):
        index.drop(connection, checkfirst=True)


def create_secondary_indexes(connection: Connection, tables: Iterable[Table]) -> None:
    """Create those of the indexes that are missing."""
    for index in secondary_indexes(tables):
        index.create(connection, checkfirst=True)


def create_secondary_index(connection: Connection, tables: Iterable[Table], name: str) -> None:
    """Create the one of the indexes named so, when it is missing."""
    for index in secondary_indexes(tables):
        if index.name == name:
            index.create(connection, checkfirst=True)
