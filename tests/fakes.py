"""The fakes every test layer shares: each implements its port for real and records what it did."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cachelib import BaseCache

from adapters.transfer.journal import Position
from tests.helpers import EPOCH


@dataclass
class FakeClock:
    """A Clock that stands still until told to move (backwards too, with a negative delta)."""

    current: datetime = EPOCH

    def now(self) -> datetime:
        """The current fake time."""
        return self.current

    def advance(self, delta: timedelta | None = None, /, **parts: float) -> None:
        """Move the clock by `delta`, or by timedelta(**parts): `advance(minutes=3)`."""
        self.current += delta if delta is not None else timedelta(**parts)


@dataclass
class SequentialIds:
    """Ids that are unique within a test and readable in failures."""

    prefix: str = field(default_factory=lambda: secrets.token_hex(4))
    counter: Iterator[int] = field(default_factory=itertools.count)

    def new_id(self) -> str:
        return f"{self.prefix}{next(self.counter):024d}"


@dataclass
class FakePasswordHasher:
    """A fast stand-in for argon2 that records what it was asked; `cost` plays the parameters."""

    cost: str = "v1"
    verified: list[str] = field(default_factory=list)

    def hash(self, password: str) -> str:
        return f"fake${self.cost}${hashlib.sha256(password.encode()).hexdigest()}"

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password_hash)
        _, _, digest = password_hash.rpartition("$")
        return digest == hashlib.sha256(password.encode()).hexdigest()

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"fake${self.cost}$")


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


class MemoryCheckpoints:
    """A transfer journal held in memory, recording every position it was given."""

    def __init__(self) -> None:
        self.positions: dict[str, Position] = {}
        self.recorded: list[tuple[str, Position]] = []
        self.unfinished = False

    def position(self, name: str) -> Position:
        return self.positions.get(name, Position())

    def record(self, name: str, position: Position) -> None:
        self.positions[name] = position
        self.recorded.append((name, position))
        self.unfinished = True

    def remove(self) -> None:
        self.positions.clear()
        self.unfinished = False
