"""The HTTP resource contracts on every declared resource, in memory and on mongomock."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.contract.declared_clients import DeclaredClients, declared_app
from tests.contract.http_conditional_contract import HttpConditionalContract
from tests.contract.http_precondition_contract import HttpPreconditionContract
from tests.contract.http_refusals_contract import HttpResourceRefusalsContract
from tests.contract.http_resource_contract import HttpResourceContract
from tests.helpers import app_settings
from tests.unit.conftest import reset_app


class DeclaredOverHttp(
    DeclaredClients, HttpResourceContract, HttpConditionalContract, HttpPreconditionContract
):
    """List, get, create, change and delete of each declared resource."""

    @pytest.fixture
    def app(self, shared_app: Flask) -> Flask:
        return reset_app(shared_app)


class TestDeclaredOverHttpInMemory(DeclaredOverHttp, HttpResourceRefusalsContract):
    """STORAGE_BACKEND=memory; and here only, what the blueprint refuses before any storage."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return declared_app(app_settings(STORAGE_BACKEND="memory"))


class TestDeclaredOverHttpOnMongomock(DeclaredOverHttp):
    """STORAGE_BACKEND=mongo on mongomock, emptied by the reset before each test."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return declared_app(
            app_settings(STORAGE_BACKEND="mongo", MONGODB_URI="mongomock://localhost")
        )
