"""Item use cases: create, read, list, change and delete with ownership rules."""

from __future__ import annotations

from dataclasses import replace

from core.entities import Item
from core.errors import Forbidden
from core.ports.clock import Clock, IdGenerator
from core.ports.unit_of_work import UnitOfWorkFactory
from core.principal import ITEMS_ADMIN, Principal
from core.query import ItemQuery, Page
from core.services.writes import UNCONDITIONAL_ATTEMPTS, check_page, check_version, retried
from core.titles import clean_title, normal_text


class ItemService:
    """Item CRUD; only the owner or a holder of `items:admin` may change an item."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        attempts: int = UNCONDITIONAL_ATTEMPTS,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._attempts = attempts

    def create(self, *, title: str, owner: Principal) -> Item:
        """Store a new item owned by the caller; Conflict when the title is taken."""
        now = self._clock.now()
        item = Item(
            id=self._ids.new_id(),
            title=clean_title(title),
            owner_id=owner.subject,
            created_at=now,
            updated_at=now,
        )
        with self._uow() as uow:
            uow.items.add(item)
            uow.commit()
        return item

    def get(self, item_id: str) -> Item:
        """The item; NotFound when absent."""
        with self._uow(read_only=True) as uow:
            return uow.items.get(item_id)

    def list(self, query: ItemQuery) -> Page[Item]:
        """One page of items matching the query."""
        check_page(query)
        # Titles are stored in NFC: a filter in any other spelling of the same text finds them.
        query = replace(
            query,
            title=None if query.title is None else normal_text(query.title),
            title_prefix=None if query.title_prefix is None else normal_text(query.title_prefix),
        )
        with self._uow(read_only=True) as uow:
            return uow.items.list(query)

    def update(
        self,
        item_id: str,
        *,
        actor: Principal,
        title: str | None = None,
        expected_version: int | None = None,
    ) -> Item:
        """Change the fields; StaleVersion when `expected_version` is not the stored one.

        A change to what the item already holds stores nothing and answers the item as it is.
        """
        new_title = None if title is None else clean_title(title)
        return retried(
            lambda: self._update_once(item_id, actor, new_title, expected_version),
            attempts=self._attempts,
            conditional=expected_version is not None,
        )

    def delete(
        self, item_id: str, *, actor: Principal, expected_version: int | None = None
    ) -> None:
        """Remove the item; StaleVersion when `expected_version` is not the stored one."""
        retried(
            lambda: self._delete_once(item_id, actor, expected_version),
            attempts=self._attempts,
            conditional=expected_version is not None,
        )

    def _update_once(
        self, item_id: str, actor: Principal, title: str | None, expected_version: int | None
    ) -> Item:
        with self._uow() as uow:
            item = uow.items.get(item_id)
            self._authorise(item, actor)
            check_version("item", item.version, expected_version)
            if title is None or title == item.title:
                # A no-op keeps the version, so nobody else's ETag goes stale for nothing.
                return item
            stored = uow.items.update(replace(item, title=title, updated_at=self._clock.now()))
            uow.commit()
        return stored

    def _delete_once(self, item_id: str, actor: Principal, expected_version: int | None) -> None:
        with self._uow() as uow:
            item = uow.items.get(item_id)
            self._authorise(item, actor)
            check_version("item", item.version, expected_version)
            uow.items.delete(item_id, expected_version=item.version)
            uow.commit()

    @staticmethod
    def _authorise(item: Item, actor: Principal) -> None:
        # Items are publicly readable, so refusing with 403 hides nothing a 404 would protect.
        if item.owner_id != actor.subject and not actor.may(ITEMS_ADMIN):
            raise Forbidden("only the owner may change this item")
