"""Unit tests do no network I/O (any connection or name lookup fails the test); shared fixtures."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from flask import Flask

    from tests.fakes import FakeClock


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise AssertionError("unit tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# The service is imported where a fixture needs it, not at the top: pytest-xdist's controller
# loads this file but runs no test, and importing the service would cost it 2.5 s for nothing.


@pytest.fixture
def clock() -> FakeClock:
    from tests.fakes import FakeClock

    return FakeClock()


@pytest.fixture
def app(clock: FakeClock) -> Flask:
    """The app on the memory backend, its clock the test's (a module may define its own app)."""
    from dependency_injector import providers

    from api import create_app
    from tests.helpers import app_settings

    app = create_app(app_settings())
    app.extensions["container"].clock.override(providers.Object(clock))
    return app
