"""The SQL repository of any resource: Core statements on its table, rows mapped to entities."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Row, Table, select

from adapters.batching import batched
from adapters.sql.bulk import insert_rows
from adapters.sql.deferred_indexes import (
    create_secondary_index,
    create_secondary_indexes,
    drop_secondary_indexes,
    secondary_indexes,
)
from adapters.sql.driver_statements import first_row
from adapters.sql.errors import translate_errors
from adapters.sql.resource import SqlResource
from adapters.sql.rows import fetch_rows, insert_plain_rows, row_layout
from adapters.sql.statements import MATCH_ID, MATCH_VERSION, TOTAL
from adapters.sql.table_rows import TableRow
from core.entities import Versioned
from core.errors import ConcurrentChange, NotFound
from core.paging import page_of
from core.query import Page
from core.queryable import ListQuery

E = TypeVar("E", bound=Versioned)
Q = TypeVar("Q", bound=ListQuery)


def page_total(fetched: int, *, limit: int, offset: int, count: Callable[[], int]) -> int:
    """The total behind a page read as `fetched` rows of at most `limit + 1`; runs `count` only
    when the page cannot tell."""
    # A page with no row beyond the limit is the last one, so offset + its rows is the total,
    # and agrees with the page; a page with more behind it, or an empty one past the start,
    # needs the COUNT query.
    if fetched <= limit and (fetched or offset == 0):
        return offset + fetched
    return count()


class SqlRepository(Generic[E, Q]):
    """Entities of one resource in its table (and its child tables), on one connection."""

    def __init__(self, connection: Connection, resource: SqlResource[E]) -> None:
        self._connection = connection
        self._resource = resource
        self.name = resource.name
        self.table = resource.table
        self.statements = resource.statements

    def add(self, entity: E) -> None:
        """Insert one entity; Conflict when a unique column is taken."""
        self._insert([entity])

    def add_many(self, entities: Iterable[E]) -> int:
        """Insert entities in batches (COPY on PostgreSQL, executemany elsewhere)."""
        count = 0
        for batch in batched(entities):
            self._insert(batch)
            count += len(batch)
        return count

    def get(self, entity_id: str) -> E:
        """The entity or NotFound."""
        return self._entities([self._get_row(entity_id)])[0]

    def get_many(self, ids: Sequence[str]) -> builtins.list[E]:
        """The stored entities among these ids, in one query."""
        if not ids:
            return []
        statement = select(self.table).where(self.table.c.id.in_(ids))
        with translate_errors(self.name):
            rows = self._connection.execute(statement).all()
        return self._entities(rows)

    def scan(self, after: str | None = None, *, limit: int) -> builtins.list[E]:
        """The next entities in the column's order of ids, from the primary key's index."""
        statement = select(self.table).order_by(self.table.c.id).limit(limit)
        if after is not None:
            statement = statement.where(self.table.c.id > after)
        with translate_errors(self.name):
            rows = self._connection.execute(statement).all()
        return self._entities(rows)

    @property
    def row_layout(self) -> tuple[str, ...]:
        """The names of the values of a row as `scan_rows` reads it and `add_rows` writes it."""
        return row_layout(self._resource)

    def scan_rows(self, after: str | None = None, *, limit: int) -> builtins.list[tuple[Any, ...]]:
        """What `scan` reads, as rows of plain values (no entity built: a copy's fast path)."""
        statement = select(self.table).order_by(self.table.c.id).limit(limit)
        if after is not None:
            statement = statement.where(self.table.c.id > after)
        with translate_errors(self.name):
            return fetch_rows(self._connection, self._resource, statement)

    def get_rows(self, ids: Sequence[str]) -> builtins.list[tuple[Any, ...]]:
        """What `get_many` reads, as rows of plain values."""
        if not ids:
            return []
        statement = select(self.table).where(self.table.c.id.in_(ids))
        with translate_errors(self.name):
            return fetch_rows(self._connection, self._resource, statement)

    def add_rows(self, values: Sequence[Sequence[Any]]) -> None:
        """Insert rows as `scan_rows` reads them, ids, versions and derived columns as given;
        Conflict when a unique column is taken."""
        if values:
            with translate_errors(self.name):
                insert_plain_rows(self._connection, self._resource, values)

    def list(self, query: Q) -> Page[E]:
        """One page in the query's order, ties broken by id, from its offset or its seek."""
        conditions = self._resource.conditions(query)
        # An offset page's total comes with its rows: the count as a scalar subquery, which
        # every server runs once, costs no round trip of its own and reads the same snapshot.
        statement, parameters = self._resource.page(query, conditions)
        with translate_errors(self.name):
            rows = self._connection.execute(statement, parameters).all()
        total = None
        if query.seek is None:
            total = page_total(
                len(rows),
                limit=query.limit,
                offset=query.offset,
                count=lambda: int(rows[0]._mapping[TOTAL]) if rows else self._count(conditions),
            )
        return page_of(self._resource.queryable, self._entities(rows), query, total=total)

    def count(self, query: Q) -> int:
        """How many entities match the filters."""
        return self._count(self._resource.conditions(query))

    def update(self, entity: E) -> E:
        """Write the entity if its version is current; return it with the version bumped."""
        values = self._resource.to_row(entity)
        entity_id, version = values.pop("id"), values["version"]  # the id is matched, never set
        # The version in the WHERE clause makes the check and the write one atomic statement.
        parameters = {**values, "version": version + 1, MATCH_ID: entity_id, MATCH_VERSION: version}
        with translate_errors(self.name):
            changed = self._connection.execute(
                self.statements.update_versioned, parameters
            ).rowcount
        if changed == 0:
            self._get_row(entity_id)  # NotFound when it is gone
            raise ConcurrentChange(f"{self.name} {entity_id} was changed concurrently")
        self._write_children([entity], replacing=True)
        return replace(entity, version=entity.version + 1)  # type: ignore[type-var]

    def delete(self, entity_id: str, *, expected_version: int | None = None) -> None:
        """Remove the row and its child rows; NotFound when absent, ConcurrentChange if stale."""
        statement = self.statements.delete
        parameters: dict[str, Any] = {MATCH_ID: entity_id}
        if expected_version is not None:
            statement = self.statements.delete_versioned
            parameters[MATCH_VERSION] = expected_version
        with translate_errors(self.name):
            removed = self._connection.execute(statement, parameters).rowcount
        if removed == 0:
            self._get_row(entity_id)
            raise ConcurrentChange(f"{self.name} {entity_id} was changed concurrently")

    def drop_secondary_indexes(self) -> None:
        """Drop the indexes a bulk load into the resource's tables goes without
        (`deferred_indexes`)."""
        with translate_errors(self.name):
            drop_secondary_indexes(self._connection, self._tables())

    def create_secondary_indexes(self) -> None:
        """Create those of them that are missing."""
        with translate_errors(self.name):
            create_secondary_indexes(self._connection, self._tables())

    def secondary_index_names(self) -> builtins.list[str]:
        """The names of those indexes."""
        return [str(index.name) for index in secondary_indexes(self._connection, self._tables())]

    def create_secondary_index(self, name: str) -> None:
        """Build the one of them named so, when it is missing (`deferred_indexes`)."""
        with translate_errors(self.name):
            create_secondary_index(self._connection, self._tables(), name)

    def _tables(self) -> builtins.list[Table]:
        return [self.table, *(child.table for child in self._resource.children)]

    def _insert(self, entities: Sequence[E]) -> None:
        with translate_errors(self.name):
            rows = [self._resource.to_row(entity) for entity in entities]
            insert_rows(self._connection, self.table, rows)
        self._write_children(entities, replacing=False)

    def _get_row(self, entity_id: str) -> TableRow:
        with translate_errors(self.name):
            row = first_row(
                self._connection, self.statements.by_id, self.table, {MATCH_ID: entity_id}
            )
        if row is None:
            raise NotFound(f"{self.name} {entity_id} not found")
        return row

    def _count(self, conditions: Sequence[ColumnElement[bool]] = ()) -> int:
        with translate_errors(self.name):
            return int(self._connection.execute(self._resource.counting(conditions)).scalar_one())

    def _entities(self, rows: Sequence[Row[Any] | TableRow]) -> builtins.list[E]:
        if not self._resource.children:
            return self._resource.from_rows(rows)
        key = rows[0]._fields.index("id") if rows else 0
        ids = [row[key] for row in rows]
        with translate_errors(self.name):
            values = {
                child.field: child.values(self._connection, ids)
                for child in self._resource.children
            }
        return [
            self._resource.from_row(row, {name: found[row[key]] for name, found in values.items()})
            for row in rows
        ]

    def _write_children(self, entities: Sequence[E], *, replacing: bool) -> None:
        with translate_errors(self.name):
            for child in self._resource.children:
                if replacing:
                    child.delete(self._connection, [entity.id for entity in entities])
                child.insert(self._connection, entities)
