"""The copy's reads of mongomock in one pass over its store, and its indexes built after a load.

The first test pins the mongomock internals `adapters/mongo/in_process.py` reads: it fails when
an upgrade changes them (pyproject.toml pins the range it was written for).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import mongomock
import pytest
from pymongo import MongoClient

from adapters.mongo.in_process import is_in_process, stored_documents
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from adapters.transfer.journal import Position
from adapters.transfer.mover import Mover
from adapters.transfer.progress import Silent
from adapters.transfer.store_end import StoreEnd
from adapters.transfer.stored_end import StoredEnd
from adapters.transfer.verify import VerificationFailed
from api.data.endpoints import open_store
from api.data.resources import transferable_resources
from core.errors import Conflict
from tests.fakes import MemoryCheckpoints
from tests.helpers import EPOCH, a_user, an_item, unique

RESOURCES = transferable_resources(())
INDEXES = {"_id_", "title_unique", "created_at_id", "updated_at_id", "owner_id"}


@pytest.fixture
def storage() -> MongoStorage:
    return MongoStorage(uri="mongomock://", database="in_process")


def test_mongomock_keeps_the_documents_of_a_collection_in_its_store_as_stored() -> None:
    collection = mongomock.MongoClient(tz_aware=True)["db"]["things"]
    collection.insert_many([{"_id": "b", "at": EPOCH, "tags": ["x"]}, {"_id": "a"}])
    held = list(stored_documents(collection))
    assert sorted(each["_id"] for each in held) == ["a", "b"]
    stored = next(each for each in held if each["_id"] == "b")
    assert stored["at"] == EPOCH.replace(tzinfo=None)  # naive UTC, as documents.timestamp reads
    assert stored["tags"] == ["x"]
    assert is_in_process(collection)
    assert not is_in_process(MongoClient(connect=False)["db"]["things"])


def _filled(storage: MongoStorage, count: int) -> list[Any]:
    items = [
        an_item(at=EPOCH + timedelta(microseconds=1013 * n), version=1 + n % 3)
        for n in range(count)
    ]
    with MongoUnitOfWork(storage) as unit:
        unit.items.add_many(items)
        unit.commit()
    return sorted(items, key=lambda each: each.id)


def test_stored_batches_give_what_the_keyset_scan_gives(storage: MongoStorage) -> None:
    items = _filled(storage, 23)
    with MongoUnitOfWork(storage) as unit:
        batches = list(unit.items.stored_batches(None, size=5))
        after = list(unit.items.stored_batches(items[9].id, size=5))
        beyond = list(unit.items.stored_batches(items[-1].id, size=5))
        scanned = unit.items.scan(items[9].id, limit=100)
    assert [len(each) for each in batches] == [5, 5, 5, 5, 3]
    assert [entity for batch in batches for entity in batch] == items  # timestamps exact
    assert [entity for batch in after for entity in batch] == items[10:] == scanned
    assert beyond == []


def test_stored_batches_go_through_no_query_cursor(
    storage: MongoStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mongomock's cursor costs a read of the whole result per step: it must not be used."""
    items = _filled(storage, 7)

    def refused(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a mongomock query was run")

    monkeypatch.setattr(mongomock.collection.Collection, "find", refused)
    with MongoUnitOfWork(storage) as unit:
        read = [entity for batch in unit.items.stored_batches(None, size=3) for entity in batch]
    assert read == items


def test_the_indexes_of_a_load_are_dropped_then_created_again(storage: MongoStorage) -> None:
    collection = storage.database()["items"]
    with MongoUnitOfWork(storage) as unit:
        unit.items.drop_secondary_indexes()
        unit.items.drop_secondary_indexes()  # those already missing apart
    assert not set(collection.index_information()) & (INDEXES - {"_id_"})
    _filled(storage, 3)
    with MongoUnitOfWork(storage) as unit:
        unit.items.create_secondary_indexes()
        unit.items.create_secondary_indexes()
    assert set(collection.index_information()) == INDEXES
    assert collection.index_information()["title_unique"]["unique"] is True


def test_a_duplicate_found_when_a_unique_index_is_created_is_a_conflict_naming_it(
    storage: MongoStorage,
) -> None:
    with MongoUnitOfWork(storage) as unit:
        unit.items.drop_secondary_indexes()
    with MongoUnitOfWork(storage) as unit:
        unit.items.add_many([an_item(title="same"), an_item(title="same")])
        unit.commit()
    with MongoUnitOfWork(storage) as unit, pytest.raises(Conflict, match="share a title"):
        unit.items.create_secondary_indexes()
    with MongoUnitOfWork(storage) as unit:
        assert len(unit.items.scan(None, limit=10)) == 2  # kept, without the unique index


def test_a_mongomock_end_reads_the_rows_held_when_its_read_began() -> None:
    end = open_store("mongomock://localhost/stored_end", option="--from", catalogue=())
    assert isinstance(end, StoredEnd)
    assert end.indexed
    users = RESOURCES[1]
    held = sorted((a_user() for _ in range(4)), key=lambda each: each.id)
    end.prepare()
    end.insert(users, held[:3])
    batches = end.batches(users, after=None, size=2)
    end.insert(users, held[3:])
    assert [entity for batch in batches for entity in batch] == held[:3]
    assert next(end.batches(users, after=held[0].id, size=10)) == held[1:]
    assert not isinstance(open_store("mongodb://h/db", option="--to", catalogue=()), StoredEnd)


def _mock_end(*items: Any) -> StoreEnd:
    end = open_store(f"mongomock://localhost/{unique('copy')}", option="--to", catalogue=())
    end.prepare()
    if items:
        end.insert(RESOURCES[0], items)
    return end


def _indexes(end: StoreEnd) -> set[str]:
    with end.units() as unit:
        return set(cast(Any, unit).items._collection.index_information())


def test_a_resumed_copy_into_mongomock_builds_every_index_again_once_loaded() -> None:
    items = sorted((an_item() for _ in range(12)), key=lambda each: each.id)
    source, target = _mock_end(*items), _mock_end(*items[:8])
    journal = MemoryCheckpoints()
    journal.record("items", Position(after=items[3].id, rows=4))  # four batches behind
    [report, _] = Mover(source, target, journal, Silent(), batch=4).run(RESOURCES)
    assert (report.written, report.identical) == (4, 4)
    assert report.source.digest == report.target.digest
    assert _indexes(target) == INDEXES


def test_a_merge_into_mongomock_keeps_its_unique_indexes_so_a_taken_value_is_refused() -> None:
    source, target = _mock_end(an_item(title="taken"), an_item()), _mock_end(an_item(title="taken"))
    mover = Mover(source, target, MemoryCheckpoints(), Silent(), merge=True)
    with pytest.raises(VerificationFailed, match="the source holds 2 rows, the target 1"):
        mover.run(RESOURCES)
    assert _indexes(target) == INDEXES
