"""Shared builders and settings for every test layer (the fakes are in tests/fakes.py)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask

from adapters.auth.keys import dump_token_keys, generate_token_keys
from api import create_app
from core.entities import Item, User

if TYPE_CHECKING:
    from adapters.http.rate_limits.limits import RateLimits

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def unique(prefix: str = "t") -> str:
    """A random suffix so rows from different tests never collide."""
    return f"{prefix}-{secrets.token_hex(6)}"


def an_item(**fields: Any) -> Item:
    """An Item with sensible defaults; override any field."""
    moment = fields.pop("at", EPOCH)
    values: dict[str, Any] = {
        "id": secrets.token_hex(16),
        "title": unique("title"),
        "owner_id": "owner-1",
        "created_at": moment,
        "updated_at": moment,
    }
    return Item(**(values | fields))


def a_user(**fields: Any) -> User:
    """A User with sensible defaults; override any field."""
    values: dict[str, Any] = {
        "id": secrets.token_hex(16),
        "username": unique("user"),
        "password_hash": "$argon2id$not-a-real-hash",
        "created_at": EPOCH,
        "permissions": frozenset({"items:read"}),
    }
    return User(**(values | fields))


@cache
def token_keys_json() -> str:
    """One JWK set per test session (generating keys is the slow part)."""
    return dump_token_keys(generate_token_keys())


def app_settings(**overrides: Any) -> dict[str, Any]:
    """Settings for a test app that needs no file, no network and no generated secret."""
    base: dict[str, Any] = {
        "APP_ENV": "testing",
        "STORAGE_BACKEND": "memory",
        "SESSION_TYPE": "memory",
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "TOKEN_KEYS": token_keys_json(),
        "CORS_ORIGINS": "http://allowed.example",
        # The cheapest argon2id costs: tests prove behaviour, not resistance to cracking.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
    }
    return base | overrides


def reset_app(app: Flask) -> Flask:
    """The app with no state left by earlier requests: as create_app() returned it.

    Building an app is most of an HTTP test's cost, so a suite that never changes its app (only
    the state its requests leave) builds one per class and hands each test `reset_app(app)`:
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
