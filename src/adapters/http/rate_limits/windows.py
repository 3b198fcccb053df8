"""Counting one request against a limit: in a limits store, or in this process's own windows."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem
from limits.errors import StorageError
from limits.storage import RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter

# Ended windows are dropped at most this often, when a new window opens.
SWEEP_SECONDS = 1.0


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


def hit_for(limit: RateLimitItem, count: int, reset_at: float) -> Hit:
    """The Hit of the `count`-th request of a window ending at `reset_at`."""
    return Hit(limit, count <= limit.amount, max(0, limit.amount - count), reset_at)


# limits' own incr_expire.lua, returning the window's TTL beside its count: one round trip.
INCR_EXPIRE_TTL = """
local current
local amount = tonumber(ARGV[2])
current = redis.call("incrby", KEYS[1], amount)

if tonumber(current) == amount then
    redis.call("expire", KEYS[1], ARGV[1])
end

return {current, redis.call("ttl", KEYS[1])}
"""


class FixedWindow(FixedWindowRateLimiter):
    """limits' fixed window on a shared store, whose hit also reads where the window stands.

    The stock `hit` then `get_window_stats` ask the store three times (a Redis round trip
    each); the count `incr` returns already tells what remains, and on Redis one script
    returns the count and the window's end together.
    """

    def __init__(self, storage: Storage) -> None:
        super().__init__(storage)
        self._redis = storage if isinstance(storage, RedisStorage) else None
        self._incr_ttl = (
            None
            if self._redis is None
            else self._redis.get_connection().register_script(INCR_EXPIRE_TTL.encode())
        )

    def hit_and_read(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """Count one request against `limit` for these identifiers."""
        key = limit.key_for(*identifiers)
        if self._redis is None or self._incr_ttl is None:
            count = self.storage.incr(key, limit.get_expiry())
            return hit_for(limit, count, self.storage.get_expiry(key))
        try:
            count, ttl = self._incr_ttl([self._redis.prefixed_key(key)], [limit.get_expiry(), 1])
        except self._redis.base_exceptions as error:
            if self._redis.wrap_exceptions:
                raise StorageError(error) from error
            raise
        # As limits' get_expiry: a key without a TTL (-1) or gone (-2) ends now.
        return hit_for(limit, int(count), time.time() + max(int(ttl), 0))

    def peek(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """The Hit one more request would get, without counting it."""
        key = limit.key_for(*identifiers)
        count = self.storage.get(key)
        reset_at = self.storage.get_expiry(key) if count else time.time() + limit.get_expiry()
        return hit_for(limit, count + 1, reset_at)

    def forget(self, limit: RateLimitItem, *identifiers: str) -> None:
        """End the window of these identifiers now."""
        self.storage.clear(limit.key_for(*identifiers))


class LocalWindows:
    """Fixed windows counted in this process: `memory://`, and the stand-in for a store gone down.

    limits' MemoryStorage does the same through per-key locks, expiry bookkeeping and a sweeper
    thread (docs/performance.md); a window is two numbers under one lock. Keys are
    limits' own (`limit.key_for`), so a count means the same wherever it is kept.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._windows: dict[str, list[float]] = {}  # key -> [count, end in epoch seconds]
        self._lock = threading.Lock()
        self._sweep_at = 0.0

    def hit_and_read(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """Count one request against `limit` for these identifiers."""
        key = limit.key_for(*identifiers)
        now = self._clock()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[1] <= now:
                if now >= self._sweep_at:
                    self._sweep(now)
                window = self._windows[key] = [0, now + limit.get_expiry()]
            window[0] += 1
            count, reset_at = window
        return hit_for(limit, int(count), reset_at)

    def peek(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """The Hit one more request would get, without counting it."""
        key = limit.key_for(*identifiers)
        now = self._clock()
        with self._lock:
            window = self._windows.get(key)
            count, reset_at = (0, now + limit.get_expiry()) if window is None else window
        if reset_at <= now:
            count, reset_at = 0, now + limit.get_expiry()
        return hit_for(limit, int(count) + 1, reset_at)

    def forget(self, limit: RateLimitItem, *identifiers: str) -> None:
        """End the window of these identifiers now."""
        with self._lock:
            self._windows.pop(limit.key_for(*identifiers), None)

    def __len__(self) -> int:
        """How many windows are held, ended ones not yet dropped included."""
        return len(self._windows)

    def _sweep(self, now: float) -> None:
        # Memory stays bounded by the clients seen within one window, without a thread.
        self._windows = {key: window for key, window in self._windows.items() if window[1] > now}
        self._sweep_at = now + SWEEP_SECONDS
