"""The statements no input changes, built once per table so each request skips their cache key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Delete,
    Insert,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

# In an UPDATE a bind named like a column is that column's SET value; the WHERE binds use
# other names.
MATCH_ID = "match_id"
MATCH_VERSION = "match_version"


@dataclass(frozen=True, slots=True)
class TableStatements:
    """Insert, get, versioned update, delete and count of one table, with bound parameters."""

    insert: Insert
    by_id: Select[Any]
    update_versioned: Update
    delete: Delete
    delete_versioned: Delete
    count: Select[int]

    @classmethod
    def of(cls, table: Table) -> TableStatements:
        """The statements for `table`, which must have `id` and `version` columns."""
        same_id = table.c.id == bindparam(MATCH_ID)
        same_version = table.c.version == bindparam(MATCH_VERSION)
        return cls(
            insert=insert(table),
            by_id=select(table).where(same_id),
            # No .values(): the SET clause takes the columns the parameters name.
            update_versioned=update(table).where(same_id, same_version),
            delete=delete(table).where(same_id),
            delete_versioned=delete(table).where(same_id, same_version),
            count=select(func.count()).select_from(table),
        )
