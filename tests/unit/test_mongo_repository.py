"""The repository contract on mongomock: the Mongo adapter's own code, no server, no network."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from tests.contract.repository_contract import RepositoryContract


class TestMongomockRepository(RepositoryContract):
    """MongoUnitOfWork on a fresh mongomock database per test (no transactions: undo path)."""

    @pytest.fixture
    def uow(self) -> Callable[[], MongoUnitOfWork]:
        return partial(MongoUnitOfWork, MongoStorage(uri="mongomock://", database="test"))
