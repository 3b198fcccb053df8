"""Child tables: a multi-valued field of an entity kept as (parent id, position, value) rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, delete, select

from adapters.sql.bulk import insert_rows


@dataclass(frozen=True, slots=True)
class ChildTable:
    """The table holding one multi-valued field, in the field's order.

    The parent column's foreign key must be ON DELETE CASCADE: deleting the entity's row is
    one statement, checked against its version, and takes the child rows with it.
    """

    field: str
    table: Table
    parent: str = "parent_id"
    position: str = "position"
    value: str = "value"

    def values(self, connection: Connection, ids: Sequence[str]) -> dict[str, list[Any]]:
        """The field's values of each parent id, in order (one query for a whole page)."""
        columns = self.table.c
        statement = (
            select(columns[self.parent], columns[self.value])
            .where(columns[self.parent].in_(ids))
            .order_by(columns[self.parent], columns[self.position])
        )
        found: dict[str, list[Any]] = defaultdict(list)
        for parent, value in connection.execute(statement):
            found[parent].append(value)
        return found

    def insert(self, connection: Connection, entities: Iterable[Any]) -> None:
        """Insert the field's values of each entity."""
        rows = [
            {self.parent: entity.id, self.position: position, self.value: value}
            for entity in entities
            for position, value in enumerate(getattr(entity, self.field))
        ]
        insert_rows(connection, self.table, rows)

    def delete(self, connection: Connection, ids: Sequence[str]) -> None:
        """Remove the field's values of these parents (before writing new ones)."""
        connection.execute(delete(self.table).where(self.table.c[self.parent].in_(ids)))
