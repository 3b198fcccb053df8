"""A table's rows as plain values: the column types' result processing, and a row read by name."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect

Processor = Any  # a column type's result processor, or None


class TableRow(tuple[Any, ...]):
    """A row's values in its table's column order, read by name as a SQLAlchemy Row is."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    @property
    def _mapping(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))


@lru_cache(maxsize=256)
def row_type(table: Table) -> type[TableRow]:
    """The TableRow of `table`'s columns."""
    return type("TableRow", (TableRow,), {"__slots__": (), "_fields": tuple(table.c.keys())})


@lru_cache(maxsize=256)  # bounded: every engine has a dialect of its own
def result_processors(
    table: Table, dialect: Dialect, description: tuple[Any, ...]
) -> tuple[Processor, ...]:
    """The column types' result processors of `table`'s columns, in order, as SQLAlchemy
    applies them to a Row of this cursor description (its driver's type codes)."""
    return tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, coltype)
        for column, coltype in zip(table.c, description, strict=True)
    )
