"""Each resource kept in Mongo: its declaration, its specific parts, and the registry."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from pymongo.database import Database

from adapters.declared import DeclaredRepositories
from adapters.mongo.client import Document
from adapters.mongo.errors import translate_errors
from adapters.mongo.guard import equals, lookup_key
from adapters.mongo.repository import MongoRepository
from adapters.mongo.resource import MongoResource
from adapters.mongo.staging import Write
from core.entities import Item, User
from core.errors import NotFound
from core.ports.repository import Repository
from core.query import ITEM_QUERY, USER_QUERY, ItemQuery, UserQuery
from core.resource import ResourceType
from core.usernames import username_key

E = TypeVar("E")
Q = TypeVar("Q")

ITEMS = MongoResource("item", Item, "items", ITEM_QUERY, unique=("title",))
USERS = MongoResource("user", User, "users", USER_QUERY, unique=("username_key",))
RESOURCES: tuple[MongoResource[Any], ...] = (ITEMS, USERS)


class MongoUserRepository(MongoRepository[User, UserQuery]):
    """Users, unique by case-folded username (the `username_key` field)."""

    def get_by_username(self, username: str) -> User:
        """The user whose username matches in any letter case."""
        folded = username_key(lookup_key(username, field="username"))
        for user in self._staged.values():
            if user is not None and username_key(user.username) == folded:
                return user
        with translate_errors(self.name):
            document: Document | None = self._collection.find_one(
                {"username_key": equals(folded, field="username")}
            )
        # A stored user this unit changed or deleted is only seen through its staged state.
        if document is None or document["_id"] in self._staged:
            raise NotFound(f"user {username!r} not found")
        return self._from_document(document)


class MongoRepositories:
    """Items and users in one database, and each declared resource's repository on first use."""

    def _open_repositories(
        self,
        database: Database[Document],
        log: builtins.list[Write],
        declared: Mapping[str, MongoResource[Any]] | None = None,
    ) -> None:
        self.items = MongoRepository[Item, ItemQuery](database[ITEMS.collection], log, ITEMS)
        self.users = MongoUserRepository(database[USERS.collection], log, USERS)
        self._declared = DeclaredRepositories(
            declared,
            lambda _, each: MongoRepository[Any, Any](database[each.collection], log, each),
            backend="Mongo",
        )

    def repository(self, resource: ResourceType[E, Q]) -> Repository[E, Q]:
        """The declared resource's repository in this unit."""
        return cast(Repository[E, Q], self._declared.of(resource))

    def _repositories(self) -> builtins.list[MongoRepository[Any, Any]]:
        fixed = [each for each in vars(self).values() if isinstance(each, MongoRepository)]
        return fixed + list(self._declared.opened.values())
