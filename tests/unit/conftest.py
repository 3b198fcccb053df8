"""Unit tests do no network I/O (any connection or name lookup fails the test); shared fixtures.

Building an app is most of an HTTP test's cost, so a suite that never changes its app (only
the state its requests leave) builds one per class and hands each test `reset_app(app)`:
tests/unit/test_app_reset.py proves a reset app answers as a new one does.
"""

from __future__ import annotations

import socket
from typing import Any, NoReturn

import pytest
from dependency_injector import providers
from flask import Flask

from adapters.http.rate_limits.limits import RateLimits
from api import create_app
from tests.fakes import FakeClock
from tests.helpers import app_settings


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise AssertionError("unit tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(clock: FakeClock) -> Flask:
    """The app on the memory backend, its clock the test's (a module may define its own app)."""
    app = create_app(app_settings())
    app.extensions["container"].clock.override(providers.Object(clock))
    return app


def reset_app(app: Flask) -> Flask:
    """The app with no state left by earlier requests: as create_app() returned it."""
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
