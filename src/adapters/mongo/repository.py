"""Mongo repositories of items and users: their documents, filters and orders."""

from __future__ import annotations

from adapters.mongo.base_repository import MongoRepository
from adapters.mongo.client import Document
from adapters.mongo.documents import (
    item_from_document,
    item_to_document,
    user_from_document,
    user_to_document,
)
from adapters.mongo.errors import translate_errors
from adapters.mongo.guard import equals, lookup_key
from adapters.mongo.query import (
    USER_SORT,
    everything,
    item_filter,
    item_matches,
    item_sort,
    sort_items,
    sort_users,
)
from core.entities import Item, User
from core.errors import NotFound
from core.query import ItemQuery, Page, UserQuery
from core.usernames import username_key


class MongoItemRepository(MongoRepository[Item]):
    """Items in the `items` collection, unique by title."""

    name = "item"

    def _to_document(self, entity: Item) -> Document:
        return item_to_document(entity)

    def _from_document(self, document: Document) -> Item:
        return item_from_document(document)

    def list(self, query: ItemQuery) -> Page[Item]:
        """One page in the query's order, ties broken by id."""
        return self._page(
            item_filter(query),
            sort=item_sort(query),
            matches=item_matches(query),
            order=lambda items: sort_items(items, query),
            limit=query.limit,
            offset=query.offset,
        )

    def count(self, query: ItemQuery) -> int:
        """How many items match the filters."""
        return self._count(item_filter(query), item_matches(query))


class MongoUserRepository(MongoRepository[User]):
    """Users in the `users` collection, unique by case-folded username."""

    name = "user"

    def _to_document(self, entity: User) -> Document:
        return user_to_document(entity)

    def _from_document(self, document: Document) -> User:
        return user_from_document(document)

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
        return user_from_document(document)

    def list(self, query: UserQuery) -> Page[User]:
        """Users ordered by case-folded username."""
        return self._page(
            {},
            sort=USER_SORT,
            matches=everything,
            order=sort_users,
            limit=query.limit,
            offset=query.offset,
        )

    def count(self, query: UserQuery) -> int:  # noqa: ARG002 - users have no filters yet
        """How many users exist."""
        return self._count({}, everything)
