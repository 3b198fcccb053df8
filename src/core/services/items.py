"""Item use cases: create, read, list, change and delete with ownership rules."""

from __future__ import annotations

from dataclasses import replace

from core.entities import Item
from core.errors import Forbidden, StaleVersion, ValidationError
from core.ports.clock import Clock, IdGenerator
from core.ports.unit_of_work import UnitOfWorkFactory
from core.principal import ITEMS_ADMIN, Principal
from core.query import MAX_LIMIT, ItemQuery, Page
from core.titles import clean_title, normal_text


class ItemService:
    """Item CRUD; only the owner or a holder of `items:admin` may change an item."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

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
        if not 1 <= query.limit <= MAX_LIMIT:
            raise ValidationError("invalid query", {"limit": f"must be 1 to {MAX_LIMIT}"})
        if query.offset < 0:
            raise ValidationError("invalid query", {"offset": "must not be negative"})
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
        """Change the fields; Conflict when `expected_version` or a concurrent write differs.

        A change to what the item already holds stores nothing and answers the item as it is.
        """
        with self._uow() as uow:
            item = uow.items.get(item_id)
            self._authorise(item, actor)
            self._check_version(item, expected_version)
            new_title = item.title if title is None else clean_title(title)
            if new_title == item.title:
                # A no-op keeps the version, so nobody else's ETag goes stale for nothing.
                return item
            changed = replace(item, title=new_title, updated_at=self._clock.now())
            stored = uow.items.update(changed)
            uow.commit()
        return stored

    def delete(
        self, item_id: str, *, actor: Principal, expected_version: int | None = None
    ) -> None:
        """Remove the item; Conflict when `expected_version` differs from the stored one."""
        with self._uow() as uow:
            item = uow.items.get(item_id)
            self._authorise(item, actor)
            self._check_version(item, expected_version)
            uow.items.delete(item_id, expected_version=item.version)
            uow.commit()

    @staticmethod
    def _authorise(item: Item, actor: Principal) -> None:
        # Items are publicly readable, so refusing with 403 hides nothing a 404 would protect.
        if item.owner_id != actor.subject and not actor.may(ITEMS_ADMIN):
            raise Forbidden("only the owner may change this item")

    @staticmethod
    def _check_version(item: Item, expected_version: int | None) -> None:
        if expected_version is not None and expected_version != item.version:
            raise StaleVersion(f"item is at version {item.version}, not {expected_version}")
