"""Each resource kept in SQL: its declaration, its specific parts, and the registry."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from adapters.sql import tables
from adapters.sql.errors import translate_errors
from adapters.sql.repository import SqlRepository
from adapters.sql.resource import SqlResource
from core.entities import Item, User
from core.errors import NotFound
from core.query import ITEM_QUERY, USER_QUERY, ItemQuery, UserQuery
from core.usernames import username_key

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
    """Every resource's repository on one connection: a resource is registered by one line here."""

    def _open_repositories(self, connection: Connection) -> None:
        self.items = SqlRepository[Item, ItemQuery](connection, ITEMS)
        self.users = SqlAlchemyUserRepository(connection, USERS)
