"""Each resource kept in memory: its declaration, its specific parts, and the registry."""

from __future__ import annotations

from typing import Any

from adapters.memory.repository import InMemoryRepository, MemoryResource
from adapters.memory.store import InMemoryStore
from core.entities import Item, User
from core.errors import NotFound
from core.query import ITEM_QUERY, USER_QUERY, ItemQuery, UserQuery
from core.usernames import username_key

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
    """Every resource's repository over one store: a resource is registered by one line here."""

    def _open_repositories(self, store: InMemoryStore) -> None:
        self.items = InMemoryRepository[Item, ItemQuery](store.table("items"), ITEMS)
        self.users = InMemoryUserRepository(store.table("users"), USERS)

    def _repositories(self) -> list[InMemoryRepository[Any, Any]]:
        return [each for each in vars(self).values() if isinstance(each, InMemoryRepository)]
