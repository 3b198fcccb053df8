"""The original's MongoLayer on mongomock: every method, string ids and ObjectIds, projections."""

from __future__ import annotations

import pytest
from bson import ObjectId
from flask import Flask

from adapters.mongo.client import connect, mongo_uri
from adapters.original.mongo_layer import MongoLayer, setup_mongodb
from core.errors import Conflict

TABLE = "TestTable"


@pytest.fixture
def mongo() -> MongoLayer:
    return MongoLayer(None, None, "mongomock://localhost", "shop")


def test_an_inserted_row_is_found_by_its_id_as_a_string(mongo: MongoLayer) -> None:
    row = {"name": "Test42"}
    inserted = mongo.insert_row(table_name=TABLE, row=row)
    assert ObjectId.is_valid(inserted) and isinstance(inserted, str)
    assert row == {"name": "Test42"}  # the caller's dict gains no _id
    assert mongo.findbyid(table_name=TABLE, id=inserted) == {"_id": inserted, "name": "Test42"}
    assert mongo.findbyid(table_name=TABLE, id=ObjectId(inserted))["name"] == "Test42"  # type: ignore[index]


def test_string_ids_that_are_not_object_ids_match_as_strings(mongo: MongoLayer) -> None:
    mongo.insert_row(table_name=TABLE, row={"_id": "sku-1", "name": "pen"})
    hexlike = "a" * 24
    mongo.insert_row(table_name=TABLE, row={"_id": hexlike, "name": "stored as text"})
    assert mongo.findbyid(table_name=TABLE, id="sku-1") == {"_id": "sku-1", "name": "pen"}
    assert mongo.findbyid(table_name=TABLE, id=hexlike) == {
        "_id": hexlike,
        "name": "stored as text",
    }
    assert mongo.findbyid(table_name=TABLE, id="missing") is None


def test_bulk_insert_returns_every_id_in_order(mongo: MongoLayer) -> None:
    ids = mongo.bulk_insert(table_name=TABLE, rows=[{"n": 1}, {"n": 2}, {"n": 3}])
    assert [mongo.findbyid(table_name=TABLE, id=i)["n"] for i in ids] == [1, 2, 3]  # type: ignore[index]
    assert mongo.count(table_name=TABLE) == 3


def test_the_projection_filter_limits_the_fields(mongo: MongoLayer) -> None:
    inserted = mongo.insert_row(table_name=TABLE, row={"name": "Test42", "secret": "x"})
    assert mongo.findbyid(table_name=TABLE, id=inserted, filter={"_id": 1}) == {"_id": inserted}
    assert mongo.findone(
        table_name=TABLE, query={"name": "Test42"}, filter={"_id": 0, "name": 1}
    ) == {"name": "Test42"}
    assert mongo.find(table_name=TABLE, query={"name": "Test42"}, filter={"secret": 1}) == [
        {"_id": inserted, "secret": "x"}
    ]


def test_findone_and_find_without_a_query_see_every_row(mongo: MongoLayer) -> None:
    assert mongo.findone(table_name=TABLE) is None
    assert mongo.find(table_name=TABLE) == []
    mongo.bulk_insert(table_name=TABLE, rows=[{"name": "a"}, {"name": "b"}])
    assert mongo.findone(table_name=TABLE) is not None
    assert sorted(row["name"] for row in mongo.find(table_name=TABLE)) == ["a", "b"]
    assert all(isinstance(row["_id"], str) for row in mongo.find(table_name=TABLE))


def test_deletes_by_id_by_query_and_many(mongo: MongoLayer) -> None:
    first, *_ = mongo.bulk_insert(table_name=TABLE, rows=[{"k": 1}, {"k": 2}, {"k": 2}, {"k": 3}])
    assert mongo.deletebyid(table_name=TABLE, id=first) == 1
    assert mongo.findbyid(table_name=TABLE, id=first) is None
    assert mongo.deleteone(table_name=TABLE, query={"k": 2}) == 1
    assert mongo.deletemany(table_name=TABLE, query={"k": {"$gte": 2}}) == 2
    assert mongo.count(table_name=TABLE) == 0


def test_updates_by_id_by_query_and_many_set_the_fields(mongo: MongoLayer) -> None:
    one, two, three = mongo.bulk_insert(
        table_name=TABLE, rows=[{"name": "a"}, {"name": "b"}, {"name": "b"}]
    )
    assert mongo.updatebyid(table_name=TABLE, id=one, newval={"name": "A", "x": 1}) == 1
    assert mongo.findbyid(table_name=TABLE, id=one) == {"_id": one, "name": "A", "x": 1}
    assert mongo.updateone(table_name=TABLE, query={"name": "b"}, newval={"seen": True}) == 1
    assert mongo.updatemany(table_name=TABLE, query={"name": "b"}, newval={"name": "B"}) == 2
    assert {row["name"] for row in mongo.find(table_name=TABLE, query={"_id": two})} == {"B"}
    assert mongo.findbyid(table_name=TABLE, id=three)["name"] == "B"  # type: ignore[index]
    assert mongo.updatebyid(table_name=TABLE, id="f" * 24, newval={"name": "nobody"}) == 0


def test_dropcoll_removes_the_collection(mongo: MongoLayer) -> None:
    mongo.insert_row(table_name=TABLE, row={"name": "gone"})
    assert mongo.dropcoll(table_name=TABLE) is True
    assert TABLE not in mongo.client["shop"].list_collection_names()


def test_db_name_selects_another_database(mongo: MongoLayer) -> None:
    inserted = mongo.insert_row(table_name=TABLE, row={"name": "elsewhere"}, db_name="archive")
    assert mongo.findbyid(table_name=TABLE, id=inserted) is None
    assert mongo.findbyid(table_name=TABLE, id=inserted, db_name="archive") is not None
    assert mongo.count(table_name=TABLE, db_name="archive") == 1
    mongo.dropcoll(table_name=TABLE, db_name="archive")
    assert mongo.count(table_name=TABLE, db_name="archive") == 0


def test_a_duplicate_key_is_a_conflict(mongo: MongoLayer) -> None:
    mongo.gettable(TABLE).create_index("email", unique=True)
    mongo.insert_row(table_name=TABLE, row={"email": "a@example.com"})
    with pytest.raises(Conflict):
        mongo.insert_row(table_name=TABLE, row={"email": "a@example.com"})


def test_setup_mongodb_attaches_the_layer_to_the_app() -> None:
    app = Flask(__name__)
    layer = setup_mongodb(app, None, None, "mongomock://localhost", "shop")
    assert app.mongo is layer  # type: ignore[attr-defined]
    assert app.extensions["mongo"] is layer
    assert layer.database_name == "shop"


@pytest.mark.parametrize(
    ("host", "srv", "expected"),
    [
        (
            "cluster0.example.net",
            True,
            "mongodb+srv://svc:p%40ss%2Fw%3Ard@cluster0.example.net/?retryWrites=true&w=majority",
        ),
        ("db1:27017,db2:27017", False, "mongodb://svc:p%40ss%2Fw%3Ard@db1:27017,db2:27017"),
        ("mongodb://localhost:27017", True, "mongodb://svc:p%40ss%2Fw%3Ard@localhost:27017"),
    ],
)
def test_the_connection_string_quotes_the_credentials(host: str, srv: bool, expected: str) -> None:
    assert mongo_uri(username="svc", password="p@ss/w:rd", host=host, srv=srv) == expected


def test_a_connection_string_without_credentials_has_none() -> None:
    uri = mongo_uri(username=None, password=None, host="localhost", srv=False)
    assert uri == "mongodb://localhost"


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="scheme"):
        mongo_uri(username=None, password=None, host="http://localhost")


def test_a_real_uri_builds_a_pymongo_client_that_has_not_connected() -> None:
    client = connect("mongodb://db.invalid:27017", timeout_ms=100)
    try:
        assert client.options.server_selection_timeout == 0.1
        assert client.codec_options.tz_aware
    finally:
        client.close()
