"""The repository, HTTP and MongoLayer suites on a real MongoDB, the same code mongomock runs.

The server comes from TEST_MONGODB_URI (or MONGODB_URI); each run works in a fresh database that
is dropped afterwards. No MongoDB server package is reachable from this project's machines, so
without the variable the module is not collected (tests/integration/conftest.py).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from functools import partial

import pytest
from dependency_injector import providers
from flask import Flask

from adapters.mongo.resources import RESOURCES
from adapters.mongo.session_cache import REVOKED_TOKENS, SESSIONS
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from adapters.original.mongo_layer import MongoLayer
from api import create_app
from api.app import build_container
from api.settings import load_settings
from tests.contract.http_suite import HttpSuite
from tests.contract.repository_contract import RepositoryContract
from tests.helpers import app_settings

pytestmark = pytest.mark.integration


def mongo_server_uri() -> str:
    """The server to test against, or a skip that says why there is none."""
    uri = os.environ.get("TEST_MONGODB_URI") or os.environ.get("MONGODB_URI")
    if not uri or uri.startswith("mongomock://"):
        pytest.skip("TEST_MONGODB_URI is not set: no MongoDB server to test against")
    return uri


@pytest.fixture(scope="session")
def mongo_server() -> Iterator[MongoStorage]:
    storage = MongoStorage(
        uri=mongo_server_uri(), database=f"hexapi_test_{secrets.token_hex(4)}", timeout_ms=5000
    )
    try:
        storage.ensure_indexes()
        yield storage
    finally:
        storage.drop()
        storage.close()


@pytest.fixture
def mongo_storage(mongo_server: MongoStorage) -> Iterator[MongoStorage]:
    """The run's database with every collection empty, before and after the test."""

    def empty() -> None:
        for name in [*(each.collection for each in RESOURCES), SESSIONS, REVOKED_TOKENS]:
            mongo_server.raw_database()[name].delete_many({})

    empty()
    yield mongo_server
    empty()


class TestMongoServerRepository(RepositoryContract):
    """The contract on the server (in transactions when it is a replica set)."""

    @pytest.fixture
    def uow(self, mongo_storage: MongoStorage) -> Callable[[], MongoUnitOfWork]:
        return partial(MongoUnitOfWork, mongo_storage)


class TestHttpOnMongoServer(HttpSuite):
    """STORAGE_BACKEND=mongo and SESSION_TYPE=mongodb on the server."""

    @pytest.fixture
    def app(self, mongo_storage: MongoStorage) -> Flask:
        settings = app_settings(
            STORAGE_BACKEND="mongo",
            SESSION_TYPE="mongodb",
            MONGODB_URI=mongo_server_uri(),
            MONGODB_DATABASE=mongo_storage.database_name,
        )
        container = build_container(load_settings(settings))
        container.mongo_storage.override(providers.Object(mongo_storage))
        return create_app(settings, container=container)


def test_the_layer_matches_string_ids_to_object_ids_on_the_server(
    mongo_storage: MongoStorage,
) -> None:
    layer = MongoLayer(
        None, None, "mongomock://unused", mongo_storage.database_name, client=mongo_storage.client()
    )
    inserted = layer.insert_row(table_name="layer_test", row={"name": "Test42"})
    assert layer.findbyid(table_name="layer_test", id=inserted) == {
        "_id": inserted,
        "name": "Test42",
    }
    assert layer.updatebyid(table_name="layer_test", id=inserted, newval={"name": "x"}) == 1
    assert layer.count(table_name="layer_test", query={"name": "x"}) == 1
    assert layer.deletebyid(table_name="layer_test", id=inserted) == 1
    assert layer.dropcoll(table_name="layer_test")
