"""The HTTP resource contracts on every declared resource, in memory and on mongomock."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.contract.declared_clients import DeclaredClients, declared_app
from tests.contract.http_conditional_contract import HttpConditionalContract
from tests.contract.http_precondition_contract import HttpPreconditionContract
from tests.contract.http_resource_contract import HttpResourceContract
from tests.helpers import app_settings


class DeclaredOverHttp(
    DeclaredClients, HttpResourceContract, HttpConditionalContract, HttpPreconditionContract
):
    """List, get, create, change and delete of each declared resource."""


class TestDeclaredOverHttpInMemory(DeclaredOverHttp):
    """STORAGE_BACKEND=memory."""

    @pytest.fixture
    def app(self) -> Flask:
        return declared_app(app_settings(STORAGE_BACKEND="memory"))


class TestDeclaredOverHttpOnMongomock(DeclaredOverHttp):
    """STORAGE_BACKEND=mongo on mongomock, a database per test."""

    @pytest.fixture
    def app(self) -> Flask:
        return declared_app(
            app_settings(
                STORAGE_BACKEND="mongo",
                MONGODB_URI="mongomock://localhost",
                MONGODB_DATABASE=f"declared_{id(self)}",
            )
        )
