"""ItemService against the in-memory unit of work."""

from __future__ import annotations

from functools import partial

import pytest

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from core.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationError
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
def clock() -> FakeClock:
    return FakeClock()


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


def test_an_update_without_changes_keeps_the_title(service: ItemService) -> None:
    item = service.create(title="keep", owner=ANN)
    assert service.update(item.id, actor=ANN).title == "keep"


@pytest.mark.parametrize("query", [ItemQuery(limit=0), ItemQuery(limit=101), ItemQuery(offset=-1)])
def test_listing_refuses_out_of_range_paging(service: ItemService, query: ItemQuery) -> None:
    with pytest.raises(ValidationError):
        service.list(query)


def test_listing_returns_a_page_and_the_total(service: ItemService) -> None:
    for n in range(5):
        service.create(title=f"item {n}", owner=ANN)
    page = service.list(ItemQuery(limit=2, offset=4))
    assert (len(page.items), page.total) == (1, 5)
