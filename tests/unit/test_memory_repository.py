"""The repository contract on the in-memory adapter."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from tests.contract.repository_contract import RepositoryContract


class TestInMemoryRepository(RepositoryContract):
    """Proves the unit-test fake behaves like the real backends."""

    @pytest.fixture
    def uow(self) -> Callable[[], InMemoryUnitOfWork]:
        return partial(InMemoryUnitOfWork, InMemoryStore())
