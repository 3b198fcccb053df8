"""The repository contract on mongomock: the Mongo adapter's own code, no server, no network."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from tests.contract.notes import MONGO_NOTES, NOTES, NotesInMongo
from tests.contract.repository_contract import RepositoryContract
from tests.contract.resource_contract import ResourceContract
from tests.contract.resource_spec import ResourceSpec


class TestMongomockRepository(RepositoryContract):
    """MongoUnitOfWork on a fresh mongomock database per test (no transactions: undo path)."""

    @pytest.fixture
    def uow(self) -> Callable[[], MongoUnitOfWork]:
        return partial(MongoUnitOfWork, MongoStorage(uri="mongomock://", database="test"))


class TestMongomockNotes(ResourceContract):
    """The contract on a resource declared outside the product (tests/contract/notes.py)."""

    @pytest.fixture
    def spec(self) -> ResourceSpec:
        return NOTES

    @pytest.fixture
    def uow(self) -> Callable[[], NotesInMongo]:
        storage = MongoStorage(uri="mongomock://", database="test")
        storage.database()["notes"].create_indexes(MONGO_NOTES.indexes())
        return partial(NotesInMongo, storage)
