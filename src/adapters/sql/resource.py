"""How a resource is kept in SQL: its table, row mapping, query conditions and child tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    MetaData,
    Row,
    Select,
    Table,
    UnaryExpression,
    bindparam,
    select,
)

from adapters.entity_shape import EntityShape
from adapters.sql.children import ChildTable
from adapters.sql.declared_tables import child_tables, row_table
from adapters.sql.statements import (
    PAGE_LIMIT,
    PAGE_OFFSET,
    TOTAL,
    TableStatements,
    keyset_condition,
)
from adapters.sql.table_rows import TableRow
from adapters.sql.tables import METADATA
from core.queryable import ListQuery, Match, Queryable
from core.resource import ResourceType

E = TypeVar("E")
# Orders whose unfiltered page stays built: clients may ask for many orders, and each costs memory.
KEPT_PAGES = 32


@dataclass(frozen=True, slots=True)
class SqlResource(Generic[E]):
    """A resource's table and the description of its queryable fields."""

    name: str
    entity: type[E]
    table: Table
    queryable: Queryable
    children: tuple[ChildTable, ...] = ()
    shape: EntityShape[E] = field(init=False)
    statements: TableStatements = field(init=False)
    # The unfiltered offset page of each order asked for, built once (`page`).
    pages: dict[tuple[tuple[str, bool], ...], Select[Any]] = field(
        init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", EntityShape.of(self.entity))
        object.__setattr__(self, "statements", TableStatements.of(self.table))
        object.__setattr__(self, "pages", {})

    @classmethod
    def declared(
        cls, resource: ResourceType[E, Any], metadata: MetaData = METADATA
    ) -> SqlResource[E]:
        """The tables of a declared resource, derived from its fields (or stated by hand)."""
        return cls(
            resource.singular,
            resource.entity,
            row_table(resource, metadata),
            resource.queryable,
            children=child_tables(resource, metadata),
        )

    def to_row(self, entity: E) -> dict[str, Any]:
        """The column values of an entity, derived columns included, child fields left out."""
        values = self.shape.values(entity)
        for child in self.children:
            del values[child.field]
        for name in self.queryable.derived:
            values[name] = self.queryable.value(entity, name)
        return values

    def from_row(self, row: Row[Any] | TableRow, children: dict[str, list[Any]] | None = None) -> E:
        """The entity of a row, with the values of its child tables."""
        if children:
            return self.shape.build({**row._mapping, **children})
        return self.shape.build(row._mapping)

    def from_rows(self, rows: Sequence[Row[Any] | TableRow]) -> list[E]:
        """The entities of rows of the table that has no child tables."""
        if not rows or self.shape.many:
            return [self.from_row(row) for row in rows]
        # The fields by position, found once per result: a scan builds thousands of entities.
        fields = rows[0]._fields
        pick = itemgetter(*(fields.index(name) for name in self.shape.names))
        build: Any = self.entity
        if len(self.shape.names) == 1:
            return [build(pick(row)) for row in rows]
        return [build(*pick(row)) for row in rows]

    def conditions(self, query: object) -> list[ColumnElement[bool]]:
        """The WHERE conditions of the query's filters (its seek apart, see `seek_condition`)."""
        conditions: list[ColumnElement[bool]] = []
        for each, value in self.queryable.active(query):
            column = self.table.c[each.field]
            if each.match is Match.PREFIX:
                conditions.append(column.startswith(value, autoescape=True))
            elif each.match is Match.MIN:
                conditions.append(column >= value)
            elif each.match is Match.MAX:
                conditions.append(column <= value)
            else:
                conditions.append(column == value)
        return conditions

    def seek_condition(self, query: ListQuery) -> list[ColumnElement[bool]]:
        """The WHERE condition of the query's seek: none when it pages by offset."""
        found = self.queryable.keyset(query)
        return [] if found is None else [keyset_condition(self.table, found)]

    def page(
        self, query: ListQuery, conditions: Sequence[ColumnElement[bool]]
    ) -> tuple[Select[Any], dict[str, int]]:
        """The SELECT of one page and its parameters; a page by offset reads its total beside
        its rows, in the column TOTAL.

        A page without filters or seek (a listing read page after page) is one statement per
        order, built once and run with its limit and offset bound: SQLAlchemy keeps the cache
        key of a statement on it, so a reused one is neither built nor keyed again.
        """
        if conditions or query.seek is not None:
            statement = self.page_statement(query, conditions)
            if query.seek is None:
                statement = statement.add_columns(self.total(conditions))
            return statement, {}
        order = tuple(self.queryable.fetch_order(query))
        kept = self.pages.get(order)
        if kept is None:
            kept = (
                select(self.table)
                .order_by(*self.order(query))
                .limit(bindparam(PAGE_LIMIT, type_=Integer))
                .offset(bindparam(PAGE_OFFSET, type_=Integer))
                .add_columns(self.total(()))
            )
            if len(self.pages) < KEPT_PAGES:
                self.pages[order] = kept
        # The row past the limit tells whether a next page exists.
        return kept, {PAGE_LIMIT: query.limit + 1, PAGE_OFFSET: query.offset}

    def page_statement(
        self, query: ListQuery, conditions: Sequence[ColumnElement[bool]]
    ) -> Select[Any]:
        """The SELECT of one page: filters, seek, order, and one row past the limit."""
        statement = (
            select(self.table)
            .where(*conditions, *self.seek_condition(query))
            .order_by(*self.order(query))
            .limit(query.limit + 1)  # the row past the limit tells whether a next page exists
        )
        if query.seek is None and query.offset:
            statement = statement.offset(query.offset)
        return statement

    def counting(self, conditions: Sequence[ColumnElement[bool]]) -> Select[int]:
        """The count of the rows matching the conditions."""
        count = self.statements.count
        return count.where(*conditions) if conditions else count

    def total(self, conditions: Sequence[ColumnElement[bool]]) -> Any:
        """That count as a column of a page (a scalar subquery)."""
        return self.counting(conditions).scalar_subquery().label(TOTAL)

    def order(self, query: ListQuery) -> Sequence[UnaryExpression[Any] | Any]:
        """The ORDER BY the query reads in, ties broken by id."""
        columns = self.table.c
        return [
            columns[name].desc() if descending else columns[name]
            for name, descending in self.queryable.fetch_order(query)
        ]
