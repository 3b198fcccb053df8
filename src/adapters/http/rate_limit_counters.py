"""Fixed-window counters on the configured store, in process memory while that store is down."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem
from limits.errors import StorageError
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from adapters.http.rate_limit_storage import SweptMemoryStorage

log = logging.getLogger(__name__)

# How long the in-process counters stand in before the store is asked again whether it answers.
RECHECK_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Hit:
    """One request counted against `limit`: whether it was allowed, and where the window stands."""

    limit: RateLimitItem
    allowed: bool
    remaining: int
    reset_at: float  # epoch seconds

    def seconds_to_reset(self) -> int:
        """Whole seconds until the window ends (at least 1)."""
        return max(1, math.ceil(self.reset_at - time.time()))


class FixedWindow(FixedWindowRateLimiter):
    """limits' fixed window, whose hit also reads where the window stands.

    The stock `hit` then `get_window_stats` ask the store three times (a Redis round trip
    each); the count `incr` returns already tells what remains.
    """

    def hit_and_read(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """Count one request against `limit` for these identifiers."""
        key = limit.key_for(*identifiers)
        count = self.storage.incr(key, limit.get_expiry())
        reset_at = self.storage.get_expiry(key)
        return Hit(limit, count <= limit.amount, max(0, limit.amount - count), reset_at)


class Counters:
    """Hits and window figures of rate limits; a store that stops answering never fails a request.

    The store must be created with `wrap_exceptions=True`, so that its failures arrive as
    limits' StorageError whatever the backend.
    """

    def __init__(self, store: Storage, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._shared = FixedWindow(store)
        self._local = FixedWindow(SweptMemoryStorage())
        self._clock = clock
        self._recheck_at: float | None = None

    @property
    def store(self) -> Storage:
        """The configured store (shared by instances when it is Redis)."""
        return self._store

    @property
    def falling_back(self) -> bool:
        """Whether counting happens in process memory because the store failed."""
        return self._recheck_at is not None

    def hit(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """Count one request against `limit`."""
        if self._recheck_at is not None and not self._store_is_back():
            return self._local.hit_and_read(limit, *identifiers)
        try:
            return self._shared.hit_and_read(limit, *identifiers)
        except StorageError as error:
            log.warning("rate-limit store failed, counting in process memory: %s", error)
            self._recheck_at = self._clock() + RECHECK_SECONDS
            return self._local.hit_and_read(limit, *identifiers)

    def _store_is_back(self) -> bool:
        if self._recheck_at is None or self._clock() < self._recheck_at:
            return False
        try:
            answers = self._store.check()
        except StorageError:
            answers = False
        if answers:
            log.info("rate-limit store answers again")
            self._recheck_at = None
            return True
        self._recheck_at = self._clock() + RECHECK_SECONDS
        return False
