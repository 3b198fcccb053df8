"""Each resource kept in memory: its declaration, its specific parts, and the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from adapters.declared import DeclaredRepositories
from adapters.memory.repository import InMemoryRepository, MemoryResource
from adapters.memory.store import InMemoryStore
from core.entities import Item, User
from core.errors import NotFound
from core.ports.repository import Repository
from core.query import ITEM_QUERY, USER_QUERY, ItemQuery, UserQuery
from core.resource import ResourceType
from core.usernames import username_key

E = TypeVar("E")
Q = TypeVar("Q")

ITEMS = MemoryResource("item", ITEM_QUERY, unique=("title",))
USERS = MemoryResource("user", USER_QUERY, unique=("username_key",))


class InMemoryUserRepository(InMemoryRepository[User, UserQuery]):
    """Users, unique by case-folded username."""

    def get_by_username(self, username: str) -> User:
        """The user whose username matches in any letter case."""
        user = self.find_unique("username_key", username_key(username))
        if user is None:
            raise NotFound(f"user {username!r} not found")
        return user


class InMemoryRepositories:
    """Items and users over one store, and each declared resource's repository on first use."""

    def _open_repositories(
        self, store: InMemoryStore, declared: Mapping[str, MemoryResource] | None = None
    ) -> None:
        self.items = InMemoryRepository[Item, ItemQuery](store.table("items"), ITEMS)
        self.users = InMemoryUserRepository(store.table("users"), USERS)
        self._declared = DeclaredRepositories(
            declared,
            lambda name, each: InMemoryRepository[Any, Any](store.table(name), each),
            backend="memory",
        )

    def repository(self, resource: ResourceType[E, Q]) -> Repository[E, Q]:
        """The declared resource's repository in this unit."""
        return cast(Repository[E, Q], self._declared.of(resource))

    def _repositories(self) -> list[InMemoryRepository[Any, Any]]:
        fixed = [each for each in vars(self).values() if isinstance(each, InMemoryRepository)]
        return fixed + list(self._declared.opened.values())
