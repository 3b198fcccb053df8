"""The HTTP suites on mongomock: STORAGE_BACKEND=mongo through the real adapter code, no server."""

from __future__ import annotations

import pytest
from flask import Flask

from api import create_app
from tests.contract.http_suite import HttpSuite
from tests.helpers import app_settings
from tests.shared_apps import SharedApp


class TestHttpOnMongomock(SharedApp, HttpSuite):
    """Items and users in mongomock, sessions and revoked tokens in mongomock collections."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return create_app(
            app_settings(
                STORAGE_BACKEND="mongo",
                MONGODB_URI="mongomock://localhost",
                SESSION_TYPE="mongodb",
            )
        )
