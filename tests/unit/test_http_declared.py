"""The HTTP resource contracts on every declared resource in memory (mongomock: integration)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.contract.declared_clients import DeclaredOverHttp, declared_app
from tests.contract.http_refusals_contract import HttpResourceRefusalsContract
from tests.helpers import app_settings


class TestDeclaredOverHttpInMemory(DeclaredOverHttp, HttpResourceRefusalsContract):
    """STORAGE_BACKEND=memory; and here only, what the blueprint refuses before any storage."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return declared_app(app_settings(STORAGE_BACKEND="memory"))
