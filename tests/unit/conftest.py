"""Unit tests do no network I/O (any connection or name lookup fails the test); shared fixtures."""

from __future__ import annotations

import socket
from typing import Any, NoReturn

import pytest
from dependency_injector import providers
from flask import Flask

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
