"""Shared builders and settings for every test layer (the fakes are in tests/fakes.py)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import cache
from typing import Any

from adapters.auth.keys import dump_token_keys, generate_token_keys
from core.entities import Item, User

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
