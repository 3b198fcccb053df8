"""The statements no input changes, built once per table so each request skips their cache key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Delete,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.sql.elements import ColumnClause

from core.seek import Compare, Keyset, Term

# In an UPDATE a bind named like a column is that column's SET value; the WHERE binds use
# other names.
MATCH_ID = "match_id"
MATCH_VERSION = "match_version"
# The label of an offset page's total among its columns (no table has a column of that name),
# and the bound limit and offset of a page statement built once and reused.
TOTAL = "hexapi_page_total"
PAGE_LIMIT = "hexapi_page_limit"
PAGE_OFFSET = "hexapi_page_offset"


@dataclass(frozen=True, slots=True)
class TableStatements:
    """Get, versioned update, delete and count of one table, with bound parameters."""

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
            by_id=select(table).where(same_id),
            # No .values(): the SET clause takes the columns the parameters name.
            update_versioned=update(table).where(same_id, same_version),
            delete=delete(table).where(same_id),
            delete_versioned=delete(table).where(same_id, same_version),
            count=select(func.count()).select_from(table),
        )


def term_condition(
    column: ColumnElement[Any] | ColumnClause[Any], term: Term
) -> ColumnElement[bool]:
    """The column compared as the term says."""
    value = term.value
    if isinstance(value, bool):
        # SQLAlchemy orders a column against True/False only as a bound value of its type.
        value = literal(value, type_=column.type)
    conditions = {
        Compare.EQ: lambda: column == value,
        Compare.GT: lambda: column > value,
        Compare.LT: lambda: column < value,
        Compare.GTE: lambda: column >= value,
        Compare.LTE: lambda: column <= value,
    }
    condition: ColumnElement[bool] = conditions[term.compare]()
    return condition


def keyset_condition(table: Table, keyset: Keyset) -> ColumnElement[bool]:
    """`first key's range AND (k1 > v1 OR (k1 = v1 AND k2 > v2) ...)` on the table's columns.

    The expanded OR rather than a row value `(k1, id) > (v1, v2)`, which no server can use for
    mixed directions; the leading range is what lets the (k1, id) index serve it everywhere.
    """
    columns = table.c
    clauses = [
        and_(*(term_condition(columns[term.field], term) for term in clause))
        for clause in keyset.clauses
    ]
    return and_(term_condition(columns[keyset.bound.field], keyset.bound), or_(*clauses))
