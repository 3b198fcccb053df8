"""The Repository contract on every declared resource, in memory (mongomock: tests/integration)."""

from __future__ import annotations

import pytest

from api.container import Container
from tests.contract.declared_units import DeclaredSpecs, declared_container
from tests.contract.resource_contract import ResourceContract


class TestDeclaredInMemory(DeclaredSpecs, ResourceContract):
    """The in-memory backend."""

    @pytest.fixture(scope="class")
    @classmethod
    def container(cls) -> Container:
        return declared_container(STORAGE_BACKEND="memory")
