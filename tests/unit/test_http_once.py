"""The storage-independent HTTP cases, once, on the in-memory backend."""

from __future__ import annotations

import pytest
from flask import Flask

from api import create_app
from tests.contract.http_once_contract import HttpOnceContract
from tests.helpers import app_settings, reset_app


class TestHttpOnce(HttpOnceContract):
    """STORAGE_BACKEND=memory with in-memory sessions."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return create_app(app_settings(STORAGE_BACKEND="memory"))

    @pytest.fixture
    def app(self, shared_app: Flask) -> Flask:
        return reset_app(shared_app)
