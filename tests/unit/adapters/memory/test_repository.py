"""The repository contract on the in-memory adapter."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from tests.contract.notes import NOTES, NotesInMemory
from tests.contract.repository_contract import RepositoryContract
from tests.contract.resource_contract import ResourceContract
from tests.contract.resource_spec import ResourceSpec


class TestInMemoryRepository(RepositoryContract):
    """Proves the unit-test fake behaves like the real backends."""

    @pytest.fixture
    def uow(self) -> Callable[[], InMemoryUnitOfWork]:
        return partial(InMemoryUnitOfWork, InMemoryStore())


class TestInMemoryNotes(ResourceContract):
    """The contract on a resource declared outside the product (tests/contract/notes.py)."""

    @pytest.fixture
    def spec(self) -> ResourceSpec:
        return NOTES

    @pytest.fixture
    def uow(self) -> Callable[[], NotesInMemory]:
        return partial(NotesInMemory, InMemoryStore())
