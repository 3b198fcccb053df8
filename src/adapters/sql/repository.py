"""SQL repositories: Core statements on the model tables, rows mapped to entities explicitly."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Table, select

from adapters.sql.errors import translate_errors
from adapters.sql.models import ItemModel, UserModel
from adapters.sql.statements import (
    MATCH_ID,
    MATCH_USERNAME_KEY,
    MATCH_VERSION,
    TableStatements,
    user_by_username_key,
)
from core.entities import Item, User
from core.errors import ConcurrentChange, NotFound
from core.query import ItemQuery, Page, UserQuery
from core.usernames import username_key

ITEMS: Table = ItemModel.__table__  # type: ignore[assignment]
USERS: Table = UserModel.__table__  # type: ignore[assignment]
BULK_BATCH = 5000


def batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most `size` rows (itertools.batched arrived in Python 3.12)."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def item_from_row(row: Row[Any]) -> Item:
    """An Item from a row of the items table."""
    return Item(
        id=row.id,
        title=row.title,
        owner_id=row.owner_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def item_to_row(item: Item) -> dict[str, Any]:
    """The column values of an Item."""
    return {
        "id": item.id,
        "title": item.title,
        "owner_id": item.owner_id,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "version": item.version,
    }


def user_from_row(row: Row[Any]) -> User:
    """A User from a row of the users table."""
    return User(
        id=row.id,
        username=row.username,
        password_hash=row.password_hash,
        permissions=frozenset(row.permissions or ()),
        created_at=row.created_at,
        version=row.version,
    )


def user_to_row(user: User) -> dict[str, Any]:
    """The column values of a User."""
    return {
        "id": user.id,
        "username": user.username,
        "username_key": username_key(user.username),
        "password_hash": user.password_hash,
        "permissions": sorted(user.permissions),
        "created_at": user.created_at,
        "version": user.version,
    }


def page_total(on_page: int, *, limit: int, offset: int, count: Callable[[], int]) -> int:
    """The total behind a page of `on_page` rows; runs `count` only when the page cannot tell."""
    # A page that is not full is the last one, so offset + its rows is the total, and agrees
    # with the page; a full page, or an empty one past the start, needs the COUNT query.
    if on_page < limit and (on_page or offset == 0):
        return offset + on_page
    return count()


class _SqlRepository:
    """What both tables share: insert, get, versioned update, delete and count by id."""

    name: str
    table: Table
    statements: TableStatements

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _insert(self, rows: Sequence[dict[str, Any]]) -> None:
        with translate_errors(self.name):
            self._connection.execute(self.statements.insert, rows)

    def _get_row(self, entity_id: str) -> Row[Any]:
        with translate_errors(self.name):
            row = self._connection.execute(self.statements.by_id, {MATCH_ID: entity_id}).first()
        if row is None:
            raise NotFound(f"{self.name} {entity_id} not found")
        return row

    def _update(self, values: dict[str, Any]) -> None:
        entity_id, version = values["id"], values["version"]
        # The version in the WHERE clause makes the check and the write one atomic statement.
        parameters = {**values, "version": version + 1, MATCH_ID: entity_id, MATCH_VERSION: version}
        del parameters["id"]  # matched, never set
        with translate_errors(self.name):
            changed = self._connection.execute(
                self.statements.update_versioned, parameters
            ).rowcount
        if changed == 0:
            self._get_row(entity_id)  # NotFound when it is gone
            raise ConcurrentChange(f"{self.name} {entity_id} was changed concurrently")

    def delete(self, entity_id: str, *, expected_version: int | None = None) -> None:
        """Remove the row; NotFound when absent, Conflict when its version differs."""
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

    def _count(self, conditions: Sequence[ColumnElement[bool]] = ()) -> int:
        statement = (
            self.statements.count.where(*conditions) if conditions else self.statements.count
        )
        with translate_errors(self.name):
            return int(self._connection.execute(statement).scalar_one())


class SqlAlchemyItemRepository(_SqlRepository):
    """Items in the `items` table."""

    name = "item"
    table = ITEMS
    statements = TableStatements.of(ITEMS)

    def add(self, entity: Item) -> None:
        """Insert one item; Conflict when the title is taken."""
        self._insert([item_to_row(entity)])

    def add_many(self, entities: Iterable[Item]) -> int:
        """Insert items in batches with the driver's executemany."""
        count = 0
        for batch in batched(entities, BULK_BATCH):
            self._insert([item_to_row(item) for item in batch])
            count += len(batch)
        return count

    def get(self, entity_id: str) -> Item:
        """The item or NotFound."""
        return item_from_row(self._get_row(entity_id))

    def update(self, entity: Item) -> Item:
        """Write the item if its version is current; return it with the version bumped."""
        self._update(item_to_row(entity))
        return replace(entity, version=entity.version + 1)

    def list(self, query: ItemQuery) -> Page[Item]:
        """One page in the query's order, ties broken by id."""
        order = [
            self.table.c[key.field.value].desc()
            if key.descending
            else self.table.c[key.field.value]
            for key in query.sort
        ]
        conditions = self._conditions(query)
        statement = (
            select(self.table)
            .where(*conditions)
            .order_by(*order, self.table.c.id)
            .limit(query.limit)
            .offset(query.offset)
        )
        with translate_errors(self.name):
            rows = self._connection.execute(statement).all()
        total = page_total(
            len(rows), limit=query.limit, offset=query.offset, count=lambda: self._count(conditions)
        )
        return Page(
            items=[item_from_row(row) for row in rows],
            total=total,
            limit=query.limit,
            offset=query.offset,
        )

    def count(self, query: ItemQuery) -> int:
        """How many items match the filters."""
        return self._count(self._conditions(query))

    def _conditions(self, query: ItemQuery) -> builtins.list[ColumnElement[bool]]:
        columns = self.table.c
        conditions: builtins.list[ColumnElement[bool]] = []
        if query.title is not None:
            conditions.append(columns.title == query.title)
        if query.title_prefix is not None:
            conditions.append(columns.title.startswith(query.title_prefix, autoescape=True))
        if query.owner_id is not None:
            conditions.append(columns.owner_id == query.owner_id)
        return conditions


class SqlAlchemyUserRepository(_SqlRepository):
    """Users in the `users` table."""

    name = "user"
    table = USERS
    statements = TableStatements.of(USERS)
    by_username_key = user_by_username_key(USERS)

    def add(self, entity: User) -> None:
        """Insert one user; Conflict when the username is taken in any letter case."""
        self._insert([user_to_row(entity)])

    def add_many(self, entities: Iterable[User]) -> int:
        """Insert users in batches."""
        count = 0
        for batch in batched(entities, BULK_BATCH):
            self._insert([user_to_row(user) for user in batch])
            count += len(batch)
        return count

    def get(self, entity_id: str) -> User:
        """The user or NotFound."""
        return user_from_row(self._get_row(entity_id))

    def get_by_username(self, username: str) -> User:
        """The user whose username matches in any letter case."""
        parameters = {MATCH_USERNAME_KEY: username_key(username)}
        with translate_errors(self.name):
            row = self._connection.execute(self.by_username_key, parameters).first()
        if row is None:
            raise NotFound(f"user {username!r} not found")
        return user_from_row(row)

    def update(self, entity: User) -> User:
        """Write the user if its version is current; return it with the version bumped."""
        self._update(user_to_row(entity))
        return replace(entity, version=entity.version + 1)

    def list(self, query: UserQuery) -> Page[User]:
        """Users ordered by case-folded username."""
        statement = (
            select(self.table)
            .order_by(self.table.c.username_key)
            .limit(query.limit)
            .offset(query.offset)
        )
        with translate_errors(self.name):
            rows = self._connection.execute(statement).all()
        total = page_total(
            len(rows), limit=query.limit, offset=query.offset, count=lambda: self.count(query)
        )
        users = [user_from_row(row) for row in rows]
        return Page(items=users, total=total, limit=query.limit, offset=query.offset)

    def count(self, query: UserQuery) -> int:  # noqa: ARG002 - users have no filters yet
        """How many users exist."""
        return self._count()
