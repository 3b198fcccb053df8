"""One app per suite, reset before each test: building an app is most of an HTTP test's cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from flask import Flask

from api import create_app
from tests.helpers import app_settings

if TYPE_CHECKING:
    from adapters.http.rate_limits.limits import RateLimits


def reset_app(app: Flask) -> Flask:
    """The app with no state left by earlier requests: as create_app() returned it.

    For a suite that never changes its app, only the state its requests leave;
    tests/unit/test_app_reset.py proves a reset app answers as a new one does.
    """
    container = app.extensions["container"]
    # Stores, services, revocations and token caches are singletons, rebuilt on next use.
    container.reset_singletons()
    # Made before the reset and kept by the app's session interface: emptied instead.
    app.config["SESSION_CACHELIB"].clear()
    limits: RateLimits = app.extensions["rate_limits"]
    if limits.counters is not None:
        # In place: the login throttle counts on the same object.
        limits.counters.__init__(limits.counters.store)  # type: ignore[misc]
    return app


class SharedApp:
    """A suite whose tests share the class's `shared_app` fixture, reset before each test."""

    @pytest.fixture
    def app(self, shared_app: Flask) -> Flask:
        return reset_app(shared_app)


class SharedMemoryApp(SharedApp):
    """A suite on one app with the memory backend and in-memory sessions, reset before each test."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return create_app(app_settings(STORAGE_BACKEND="memory"))
