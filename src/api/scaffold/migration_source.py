"""A new resource's migration, read off the tables its declaration implies.

The migration states each derived table, constraint and index again, as Alembic's own output
would, so it creates exactly what `adapters.sql.declared_tables` derives (the drift test in
tests/integration/test_migrations.py compares the two on every server).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ForeignKeyConstraint,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from adapters.sql.column_types import UtcDateTime
from adapters.sql.declared_tables import child_tables
from adapters.sql.tables import NAMING
from api.scaffold.plan import Plan
from core.resource import ResourceType


@dataclass(frozen=True)
class CreatedTable:
    """One `op.create_table` of the migration and the indexes created after it."""

    name: str
    columns: tuple[str, ...]
    constraints: tuple[str, ...]
    indexes: tuple[tuple[str, str], ...]  # (index name, its columns' source)


def created_tables(plan: Plan) -> list[CreatedTable]:
    """The tables of the plan's resource, parents first, as migration source."""
    declared = ResourceType(
        name=plan.name,
        singular=plan.singular,
        entity=object,
        query=object,
        fields=plan.fields,
        owned=plan.owned,
    )
    metadata = MetaData(naming_convention=NAMING)
    child_tables(declared, metadata)
    return [_created(table) for table in metadata.sorted_tables]


def _created(table: Table) -> CreatedTable:
    columns = tuple(
        f'sa.Column("{column.name}", {type_source(column.type)}, nullable={column.nullable})'
        for column in table.columns
    )
    constraints = [_constraint(each, table.name) for each in table.constraints]
    indexes = sorted(
        (_name("ix", table.name, [column.name for column in each.columns]), _names(each.columns))
        for each in table.indexes
    )
    return CreatedTable(table.name, columns, tuple(sorted(constraints)), tuple(indexes))


def _constraint(constraint: Any, table: str) -> str:
    names = [column.name for column in constraint.columns]
    if isinstance(constraint, PrimaryKeyConstraint):
        return f'sa.PrimaryKeyConstraint({_listed(names)}, name="{_name("pk", table, names)}")'
    if isinstance(constraint, UniqueConstraint):
        return f'sa.UniqueConstraint({_listed(names)}, name="{_name("uq", table, names)}")'
    if isinstance(constraint, ForeignKeyConstraint):
        referred = constraint.referred_table.name
        targets = [f"{referred}.{each.column.name}" for each in constraint.elements]
        name = NAMING["fk"] % {
            "table_name": table,
            "column_0_name": names[0],
            "referred_table_name": referred,
        }
        return (
            f"sa.ForeignKeyConstraint([{_listed(names)}], [{_listed(targets)}], "
            f'name="{name}", ondelete="{constraint.ondelete}")'
        )
    raise TypeError(f"no migration source for {constraint!r}")


def type_source(kind: TypeEngine[Any]) -> str:
    """A column type as the migration writes it: the project's own types by their name."""
    if isinstance(kind, UtcDateTime):
        return "UtcDateTime()"
    if isinstance(kind, String) and kind._variant_mapping:  # noqa: SLF001 - how SQLAlchemy keeps variants
        return f"code_point_string({kind.length})"
    return f"sa.{kind!r}"


def _name(kind: str, table: str, columns: list[str]) -> str:
    return NAMING[kind] % {"table_name": table, "column_0_N_name": "_".join(columns)}


def _names(columns: Any) -> str:
    return f"[{_listed([column.name for column in columns])}]"


def _listed(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)
