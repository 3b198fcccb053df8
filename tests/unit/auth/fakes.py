"""Fakes for the auth adapter tests: a clock to advance and a cache that records."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta
from typing import Any

from cachelib import BaseCache


class FakeClock:
    """A Clock that stands still until told to move."""

    def __init__(self, start: datetime = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)) -> None:
        self.current = start

    def now(self) -> datetime:
        """The current fake time."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move the clock by delta (backwards when negative)."""
        self.current += delta


class RecordingRevocationList:
    """A RevocationList that records what it was told and asked."""

    def __init__(self) -> None:
        self.added: dict[str, datetime] = {}
        self.asked: list[str] = []

    def add(self, token_id: str, *, until: datetime) -> None:
        """Remember the id and its until."""
        self.added[token_id] = until

    def contains(self, token_id: str) -> bool:
        """Record the question; every remembered id counts as revoked."""
        self.asked.append(token_id)
        return token_id in self.added


class RecordingCache(BaseCache):
    """A cachelib cache that records each set and can be told to refuse writes."""

    def __init__(self, *, accept_writes: bool = True) -> None:
        super().__init__()
        self.accept_writes = accept_writes
        self.values: dict[str, Any] = {}
        self.timeouts: dict[str, int | dt.timedelta | None] = {}

    def get(self, key: str) -> Any:
        """The stored value or None."""
        return self.values.get(key)

    def set(self, key: str, value: Any, timeout: int | dt.timedelta | None = None) -> bool:
        """Store and record the value unless writes are refused."""
        if not self.accept_writes:
            return False
        self.values[key] = value
        self.timeouts[key] = timeout
        return True
