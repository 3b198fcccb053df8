"""Each resource kept in SQL: items and users here, a declared resource's own table below.

A declared resource's tables are derived from its fields (`adapters.sql.declared_tables`); a
team that states one by hand puts its table (on `tables.METADATA`) and its `SqlResource` in a
module below, which `adapters.sql.schema` imports before it derives the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, bindparam, select

from adapters.declared import DeclaredRepositories
from adapters.sql import tables
from adapters.sql.errors import translate_errors
from adapters.sql.repository import SqlRepository
from adapters.sql.resource import SqlResource
from core.entities import Item, User
from core.errors import NotFound
from core.ports.repository import Repository
from core.query import ITEM_QUERY, USER_QUERY, ItemQuery, UserQuery
from core.resource import ResourceType
from core.usernames import username_key

E = TypeVar("E")
Q = TypeVar("Q")

ITEMS = SqlResource("item", Item, tables.ITEMS, ITEM_QUERY)
USERS = SqlResource("user", User, tables.USERS, USER_QUERY)
MATCH_USERNAME_KEY = "match_username_key"


class SqlAlchemyUserRepository(SqlRepository[User, UserQuery]):
    """Users, unique by case-folded username (the `username_key` column)."""

    by_username_key = select(USERS.table).where(
        USERS.table.c.username_key == bindparam(MATCH_USERNAME_KEY)
    )

    def get_by_username(self, username: str) -> User:
        """The user whose username matches in any letter case."""
        parameters = {MATCH_USERNAME_KEY: username_key(username)}
        with translate_errors(self.name):
            row = self._connection.execute(self.by_username_key, parameters).first()
        if row is None:
            raise NotFound(f"user {username!r} not found")
        return USERS.from_row(row)


class SqlRepositories:
    """Items and users on one connection, and each declared resource's repository on first use."""

    def _open_repositories(
        self, connection: Connection, declared: Mapping[str, SqlResource[Any]] | None = None
    ) -> None:
        self.items = SqlRepository[Item, ItemQuery](connection, ITEMS)
        self.users = SqlAlchemyUserRepository(connection, USERS)
        self._declared = DeclaredRepositories(
            declared,
            lambda _, each: SqlRepository[Any, Any](connection, each),
            backend="SQL",
        )

    def repository(self, resource: ResourceType[E, Q]) -> Repository[E, Q]:
        """The declared resource's repository in this unit."""
        return cast(Repository[E, Q], self._declared.of(resource))
