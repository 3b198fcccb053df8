"""The tables of a declared resource, read from its fields: one row table, a child per list.

A field's kind decides its column type; unique fields get a unique constraint, filter and sort
fields an index, and every table the (timestamp, id) indexes cursor pages seek along. A table
already on the MetaData (written by hand, or derived before) is taken as it is, so a team may
state its own table in `adapters.sql.resources` and the declaration leaves it alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from adapters.sql.children import ChildTable
from adapters.sql.column_types import UtcDateTime, code_point_string
from adapters.sql.tables import ID_LENGTH, METADATA, MYSQL_TABLE_OPTIONS
from core.fields import DECIMAL_DIGITS, USER_ID_LENGTH, Field, Kind
from core.resource import ResourceType


def column_type(field: Field) -> TypeEngine[Any]:
    """The column type that keeps the field's values the same on every server."""
    if field.kind is Kind.STR:
        return code_point_string(field.length)
    if field.kind is Kind.ENUM:
        return code_point_string(max(len(each) for each in field.choices))
    if field.kind is Kind.DECIMAL:
        return Numeric(DECIMAL_DIGITS, field.places)
    if field.kind is Kind.USER:
        return String(USER_ID_LENGTH)
    simple: dict[Kind, TypeEngine[Any]] = {
        Kind.TEXT: Text(),
        Kind.INT: Integer(),
        Kind.BOOL: Boolean(),
        Kind.DATE: Date(),
        Kind.DATETIME: UtcDateTime(),
    }
    return simple[field.kind]


def _column(field: Field) -> Column[Any]:
    indexed = (field.filter or field.sort) and not field.unique
    return Column(
        field.name,
        column_type(field),
        nullable=field.optional,
        unique=field.unique,
        index=indexed,
    )


def row_table(resource: ResourceType[Any, Any], metadata: MetaData = METADATA) -> Table:
    """The table of the resource's rows (its list fields apart), on `metadata`."""
    if resource.name in metadata.tables:
        return metadata.tables[resource.name]
    owner = [Column("owner_id", String(USER_ID_LENGTH), nullable=False, index=True)]
    return Table(
        resource.name,
        metadata,
        Column("id", String(ID_LENGTH), primary_key=True),
        *(_column(each) for each in resource.fields if each.kind is not Kind.LIST),
        *(owner if resource.owned else []),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
        Column("version", Integer, nullable=False),
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
        **MYSQL_TABLE_OPTIONS,
    )


def child_tables(
    resource: ResourceType[Any, Any], metadata: MetaData = METADATA
) -> tuple[ChildTable, ...]:
    """A child table per list field: `<singular>_<field>`, its rows gone with their parent's."""
    row_table(resource, metadata)  # the foreign keys name it
    found = []
    for field in resource.fields:
        if field.kind is not Kind.LIST:
            continue
        name = f"{resource.singular}_{field.name}"
        table = metadata.tables.get(name)
        if table is None:
            table = Table(
                name,
                metadata,
                Column(
                    "parent_id",
                    String(ID_LENGTH),
                    ForeignKey(f"{resource.name}.id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                Column("position", Integer, primary_key=True),
                Column("value", code_point_string(field.length), nullable=False),
                **MYSQL_TABLE_OPTIONS,
            )
        found.append(ChildTable(field.name, table))
    return tuple(found)
