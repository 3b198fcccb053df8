"""What the Mongo adapter adds to the contract: undo without transactions, its guard, laziness."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from adapters.mongo.client import Client
from adapters.mongo.query import mongo_filter
from adapters.mongo.resources import ITEMS
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from core.errors import Conflict, NotFound, ValidationError
from core.query import ItemQuery, Sort, UserQuery
from tests.helpers import EPOCH, a_user, an_item


@pytest.fixture
def storage() -> MongoStorage:
    return MongoStorage(uri="mongomock://", database="test")


def test_a_failed_commit_undoes_the_writes_it_had_applied(storage: MongoStorage) -> None:
    kept, doomed = an_item(title="kept"), an_item(title="doomed")
    with MongoUnitOfWork(storage) as unit:
        unit.items.add_many([kept, doomed])
        unit.commit()
    with MongoUnitOfWork(storage) as unit:
        unit.items.add(an_item(title="new"))
        unit.items.update(replace(kept, title="renamed"))
        unit.items.delete(doomed.id, expected_version=1)
        unit.users.add(a_user())
        unit.items.add(an_item(title="renamed"))  # taken by the update above: fails last
        with pytest.raises(Conflict):
            unit.commit()
    with MongoUnitOfWork(storage) as unit:
        by_title = ItemQuery(sort=(Sort.parse("title"),), limit=10)
        assert unit.items.list(by_title).items == [doomed, kept]
        assert unit.users.count(UserQuery()) == 0


def test_a_write_that_lost_a_race_is_a_conflict_at_commit(storage: MongoStorage) -> None:
    item = an_item()
    with MongoUnitOfWork(storage) as unit:
        unit.items.add(item)
        unit.commit()
    with MongoUnitOfWork(storage) as slow, MongoUnitOfWork(storage) as fast:
        slow.items.update(replace(item, title="slow"))
        fast.items.update(replace(item, title="fast"))
        fast.commit()
        with pytest.raises(Conflict):
            slow.commit()
    with MongoUnitOfWork(storage) as unit:
        assert unit.items.get(item.id).title == "fast"


def test_a_delete_of_an_item_removed_meanwhile_is_not_found(storage: MongoStorage) -> None:
    item = an_item()
    with MongoUnitOfWork(storage) as unit:
        unit.items.add(item)
        unit.commit()
    with MongoUnitOfWork(storage) as late, MongoUnitOfWork(storage) as early:
        late.items.delete(item.id)
        early.items.delete(item.id)
        early.commit()
        with pytest.raises(NotFound):
            late.commit()


def test_reads_merge_staged_writes_with_stored_documents_in_order(storage: MongoStorage) -> None:
    stored = [an_item(title=t) for t in ("b", "d", "f")]
    with MongoUnitOfWork(storage) as unit:
        unit.items.add_many(stored)
        unit.commit()
    with MongoUnitOfWork(storage) as unit:
        unit.items.add_many([an_item(title="a"), an_item(title="e")])
        unit.items.update(replace(stored[1], title="c"))
        unit.items.delete(stored[2].id)
        by_title = ItemQuery(sort=(Sort.parse("title"),), limit=3)
        page = unit.items.list(by_title)
        assert [item.title for item in page.items] == ["a", "b", "c"]
        assert page.total == 4
        assert unit.items.count(ItemQuery(title_prefix="e")) == 1
        assert unit.items.count(ItemQuery(title="d")) == 0


def test_a_user_renamed_in_the_unit_is_found_only_by_the_new_name(storage: MongoStorage) -> None:
    user = a_user(username="Old")
    with MongoUnitOfWork(storage) as unit:
        unit.users.add(user)
        unit.commit()
    with MongoUnitOfWork(storage) as unit:
        unit.users.update(replace(user, username="New"))
        assert unit.users.get_by_username("new").username == "New"
        with pytest.raises(NotFound):
            unit.users.get_by_username("old")


def test_documents_keep_string_ids_and_millisecond_dates(storage: MongoStorage) -> None:
    moment = datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)
    item = an_item(at=moment)
    with MongoUnitOfWork(storage) as unit:
        unit.items.add(item)
        unit.commit()
    document = storage.raw_database()["items"].find_one({"_id": item.id})
    assert document is not None
    assert document["created_at"] == moment.replace(microsecond=123000)
    assert document["created_at_us"] == 456


@pytest.mark.parametrize(
    "query",
    [
        ItemQuery(title={"$gt": ""}),  # type: ignore[arg-type]
        ItemQuery(title_prefix=["$regex"]),  # type: ignore[arg-type]
        ItemQuery(owner_id={"$ne": None}),  # type: ignore[arg-type]
    ],
)
def test_the_adapter_refuses_filter_values_that_are_not_scalars(
    storage: MongoStorage, query: ItemQuery
) -> None:
    with MongoUnitOfWork(storage) as unit, pytest.raises(ValidationError):
        unit.items.list(query)


def test_documents_that_carry_dicts_are_refused_before_pymongo(storage: MongoStorage) -> None:
    with MongoUnitOfWork(storage) as unit:
        with pytest.raises(ValidationError):
            unit.items.add(an_item(owner_id={"$gt": ""}))
        with pytest.raises(ValidationError):
            unit.items.add(an_item(title=["$set"]))
        with pytest.raises(ValidationError):
            unit.items.get({"$ne": None})  # type: ignore[arg-type]


def test_filters_compare_every_request_value_literally() -> None:
    assert mongo_filter(ITEMS, ItemQuery(title="$where", owner_id="$ne")) == {
        "title": {"$eq": "$where"},
        "owner_id": {"$eq": "$ne"},
    }
    assert mongo_filter(ITEMS, ItemQuery(title_prefix="$re.x")) == {
        "$and": [{"title": {"$regex": "^\\$re\\.x"}}]
    }


def test_operator_text_is_stored_and_found_only_literally(storage: MongoStorage) -> None:
    where = an_item(title="$where", owner_id="$gt")
    table = an_item(title="$set the table")
    user = a_user(username="$where")
    with MongoUnitOfWork(storage) as unit:
        unit.items.add(where)
        unit.items.add(table)
        unit.users.add(user)
        unit.commit()
    with MongoUnitOfWork(storage) as unit:
        assert unit.items.list(ItemQuery(title="$where")).items == [where]
        assert unit.items.list(ItemQuery(owner_id="$gt")).items == [where]
        assert unit.items.list(ItemQuery(title_prefix="$set")).items == [table]
        assert unit.items.list(ItemQuery(title="$ne")).total == 0
        assert unit.items.list(ItemQuery(title_prefix="$regex")).total == 0
        assert unit.users.get_by_username("$WHERE") == user
        with pytest.raises(NotFound):
            unit.items.get("$where")
        with pytest.raises(NotFound):
            unit.users.get_by_username("$ne")


def test_password_hashes_may_start_with_a_dollar(storage: MongoStorage) -> None:
    user = a_user(password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")
    with MongoUnitOfWork(storage) as unit:
        unit.users.add(user)
        unit.commit()
    with MongoUnitOfWork(storage) as unit:
        assert unit.users.get(user.id) == user


def test_naive_timestamps_are_refused(storage: MongoStorage) -> None:
    with MongoUnitOfWork(storage) as unit, pytest.raises(ValueError, match="naive"):
        unit.items.add(an_item(at=EPOCH.replace(tzinfo=None)))


def test_indexes_are_created_on_first_use_not_before(storage: MongoStorage) -> None:
    assert not storage.opened
    with MongoUnitOfWork(storage):
        pass
    indexes = storage.raw_database()["items"].index_information()
    assert indexes["title_unique"]["unique"] is True
    assert storage.raw_database()["users"].index_information()["username_key_unique"]["unique"]


@dataclass
class FakeAdmin:
    hello: dict[str, Any]

    def command(self, name: str) -> dict[str, Any]:
        assert name == "hello"
        return self.hello


@dataclass
class FakeClient:
    admin: FakeAdmin


@pytest.mark.parametrize(
    ("hello", "supported"),
    [
        ({"setName": "rs0", "logicalSessionTimeoutMinutes": 30}, True),
        ({"msg": "isdbgrid", "logicalSessionTimeoutMinutes": 30}, True),
        ({"isWritablePrimary": True, "logicalSessionTimeoutMinutes": 30}, False),
        ({"setName": "rs0"}, False),
    ],
)
def test_transactions_are_used_only_where_the_server_runs_them(
    hello: dict[str, Any], supported: bool
) -> None:
    client = cast(Client, FakeClient(FakeAdmin(hello)))
    storage = MongoStorage(uri="mongodb://db", database="test", client=client)
    assert storage.supports_transactions() is supported


def test_mongomock_never_claims_transactions(storage: MongoStorage) -> None:
    assert storage.supports_transactions() is False
