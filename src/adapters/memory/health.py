"""Readiness of the in-memory store."""

from __future__ import annotations

from adapters.memory.store import InMemoryStore
from core.errors import Unavailable

LOCK_WAIT_SECONDS = 2.0


def ping_store(store: InMemoryStore) -> None:
    """Unavailable when a unit of work has held the store for too long (a stuck request)."""
    if not store.lock.acquire(timeout=LOCK_WAIT_SECONDS):
        raise Unavailable("the in-memory store is locked")
    store.lock.release()
