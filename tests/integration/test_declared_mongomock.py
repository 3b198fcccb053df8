"""The Repository and HTTP resource contracts on every declared resource, on mongomock.

The Mongo adapter's own code with no server: the same suites tests/unit runs in memory.
"""

from __future__ import annotations

import pytest
from flask import Flask

from api.container import Container
from tests.contract.declared_clients import DeclaredOverHttp, declared_app
from tests.contract.declared_units import DeclaredSpecs, declared_container
from tests.contract.resource_contract import ResourceContract
from tests.helpers import app_settings

MONGOMOCK = {"STORAGE_BACKEND": "mongo", "MONGODB_URI": "mongomock://localhost"}


class TestDeclaredOnMongomock(DeclaredSpecs, ResourceContract):
    """The Mongo adapter on a fresh mongomock database per test, the declared indexes created."""

    @pytest.fixture(scope="class")
    @classmethod
    def container(cls) -> Container:
        return declared_container(**MONGOMOCK)


class TestDeclaredOverHttpOnMongomock(DeclaredOverHttp):
    """STORAGE_BACKEND=mongo on mongomock, emptied by the reset before each test."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return declared_app(app_settings(**MONGOMOCK))
