"""ItemService against the in-memory unit of work."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import pytest

from adapters.memory.repository import InMemoryRepository
from adapters.memory.resources import ITEMS
from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from core.entities import Item
from core.errors import (
    ConcurrentChange,
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationError,
)
from core.principal import ITEMS_ADMIN, Principal
from core.query import ItemQuery
from core.services.items import ItemService
from tests.fakes import FakeClock, SequentialIds
from tests.helpers import EPOCH

ANN = Principal("ann")
BOB = Principal("bob")
ADMIN = Principal("root", frozenset({ITEMS_ADMIN}))


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def service(store: InMemoryStore, clock: FakeClock) -> ItemService:
    return ItemService(uow=partial(InMemoryUnitOfWork, store), clock=clock, ids=SequentialIds())


def test_create_trims_the_title_and_stamps_owner_and_time(service: ItemService) -> None:
    item = service.create(title="  tidy  ", owner=ANN)
    assert (item.title, item.owner_id, item.version) == ("tidy", "ann", 1)
    assert item.created_at == item.updated_at == EPOCH
    assert service.get(item.id) == item


def test_create_commits_exactly_once(service: ItemService, store: InMemoryStore) -> None:
    service.create(title="once", owner=ANN)
    assert store.commits == 1


@pytest.mark.parametrize("title", ["", "   ", "x" * 81, "line\nbreak", "nul\x00"])
def test_an_invalid_title_is_refused_before_storage(
    service: ItemService, store: InMemoryStore, title: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create(title=title, owner=ANN)
    assert "title" in error.value.details
    assert store.commits == 0


def test_a_title_of_exactly_80_characters_is_accepted(service: ItemService) -> None:
    assert len(service.create(title="é" * 80, owner=ANN).title) == 80


def test_a_taken_title_is_a_conflict(service: ItemService) -> None:
    service.create(title="same", owner=ANN)
    with pytest.raises(Conflict):
        service.create(title="same", owner=BOB)


def test_the_owner_updates_and_the_clock_moves_updated_at(
    service: ItemService, clock: FakeClock
) -> None:
    item = service.create(title="draft", owner=ANN)
    clock.advance(minutes=3)
    changed = service.update(item.id, actor=ANN, title="final")
    assert (changed.title, changed.version) == ("final", 2)
    assert changed.created_at == EPOCH and changed.updated_at > EPOCH


def test_an_admin_may_change_another_users_item(service: ItemService) -> None:
    item = service.create(title="anns", owner=ANN)
    assert service.update(item.id, actor=ADMIN, title="moderated").title == "moderated"
    service.delete(item.id, actor=ADMIN)
    with pytest.raises(NotFound):
        service.get(item.id)


def test_another_user_may_neither_change_nor_delete(service: ItemService) -> None:
    item = service.create(title="anns", owner=ANN)
    with pytest.raises(Forbidden):
        service.update(item.id, actor=BOB, title="bobs now")
    with pytest.raises(Forbidden):
        service.delete(item.id, actor=BOB)
    assert service.get(item.id) == item


def test_a_stale_expected_version_is_refused(service: ItemService) -> None:
    item = service.create(title="v1", owner=ANN)
    service.update(item.id, actor=ANN, title="v2")
    with pytest.raises(StaleVersion):
        service.update(item.id, actor=ANN, title="v3", expected_version=1)
    with pytest.raises(StaleVersion):
        service.delete(item.id, actor=ANN, expected_version=1)
    assert service.get(item.id).title == "v2"


@pytest.mark.parametrize("title", [None, "keep", "  keep  "])
def test_an_update_that_changes_nothing_stores_nothing_and_keeps_the_version(
    service: ItemService, store: InMemoryStore, clock: FakeClock, title: str | None
) -> None:
    item = service.create(title="keep", owner=ANN)
    clock.advance(minutes=1)
    assert service.update(item.id, actor=ANN, title=title) == item
    assert store.commits == 1  # the create's only
    assert service.get(item.id) == item


def test_a_no_op_update_still_checks_the_owner_and_the_version(service: ItemService) -> None:
    item = service.create(title="keep", owner=ANN)
    with pytest.raises(Forbidden):
        service.update(item.id, actor=BOB, title="keep")
    with pytest.raises(StaleVersion):
        service.update(item.id, actor=ANN, expected_version=2)


@pytest.mark.parametrize("query", [ItemQuery(limit=0), ItemQuery(limit=101), ItemQuery(offset=-1)])
def test_listing_refuses_out_of_range_paging(service: ItemService, query: ItemQuery) -> None:
    with pytest.raises(ValidationError):
        service.list(query)


def test_listing_returns_a_page_and_the_total(service: ItemService) -> None:
    for n in range(5):
        service.create(title=f"item {n}", owner=ANN)
    page = service.list(ItemQuery(limit=2, offset=4))
    assert (len(page.items), page.total) == (1, 5)


class OvertakenItems(InMemoryRepository[Item, ItemQuery]):
    """Items whose first read is followed by another writer's commit to the same item."""

    def __init__(self, store: InMemoryStore) -> None:
        super().__init__(store.table("items"), ITEMS)
        self._store = store
        self._overtaken = False

    def get(self, entity_id: str) -> Item:
        item = super().get(entity_id)
        if self._overtaken:
            return item
        self._overtaken = True
        with InMemoryUnitOfWork(self._store) as other:  # the store's lock is reentrant
            other.items.update(replace(other.items.get(entity_id), title=f"other {item.version}"))
            other.commit()
        return item


@dataclass
class OvertakenUnits:
    """Write units of work whose first `times` reads another writer overtakes."""

    store: InMemoryStore
    times: int
    opened: int = 0

    def __call__(self, *, read_only: bool = False) -> InMemoryUnitOfWork:
        unit = InMemoryUnitOfWork(self.store, read_only=read_only)
        if not read_only:
            self.opened += 1
            if self.opened <= self.times:
                unit.items = OvertakenItems(self.store)
        return unit


def overtaken(store: InMemoryStore, times: int, attempts: int = 5) -> tuple[ItemService, Item]:
    item = ItemService(
        uow=partial(InMemoryUnitOfWork, store), clock=FakeClock(), ids=SequentialIds()
    ).create(title="contested", owner=ANN)
    units = OvertakenUnits(store, times)
    service = ItemService(uow=units, clock=FakeClock(), ids=SequentialIds(), attempts=attempts)
    return service, item


def test_an_unconditional_change_overtaken_by_other_writers_is_retried_and_wins(
    store: InMemoryStore,
) -> None:
    service, item = overtaken(store, times=4)
    changed = service.update(item.id, actor=ANN, title="mine")
    assert (changed.title, changed.version) == ("mine", 6)  # four other writes, then this one
    assert service.get(item.id) == changed


def test_the_retries_are_bounded_and_then_report_the_conflict(store: InMemoryStore) -> None:
    service, item = overtaken(store, times=3, attempts=3)
    with pytest.raises(ConcurrentChange):
        service.update(item.id, actor=ANN, title="mine")
    assert service.get(item.id).title == "other 3"


def test_a_conditional_change_overtaken_is_not_retried(store: InMemoryStore) -> None:
    service, item = overtaken(store, times=1)
    with pytest.raises(ConcurrentChange):
        service.update(item.id, actor=ANN, title="mine", expected_version=1)
    assert service.get(item.id).title == "other 1"


def test_an_unconditional_delete_overtaken_is_retried(store: InMemoryStore) -> None:
    service, item = overtaken(store, times=2)
    service.delete(item.id, actor=ANN)
    with pytest.raises(NotFound):
        service.get(item.id)
