"""Fixed-window counters on the configured store, in process memory while that store is down."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from limits import RateLimitItem
from limits.errors import StorageError
from limits.storage import Storage

from adapters.http.rate_limits.windows import FixedWindow, Hit, LocalWindows

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long the in-process counters stand in before the store is asked again whether it answers.
RECHECK_SECONDS = 5.0


class Counters:
    """Hits and window figures of rate limits; a store that stops answering never fails a request.

    Without a store (`memory://`) windows are counted in this process. A store must be created
    with `wrap_exceptions=True`, so that its failures arrive as limits' StorageError whatever
    the backend.
    """

    def __init__(
        self, store: Storage | None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._local = LocalWindows()
        self._shared = FixedWindow(store) if store is not None else self._local
        self._clock = clock
        self._recheck_at: float | None = None

    @property
    def store(self) -> Storage | None:
        """The configured store (shared by instances when it is Redis); None for `memory://`."""
        return self._store

    @property
    def falling_back(self) -> bool:
        """Whether counting happens in process memory because the store failed."""
        return self._recheck_at is not None

    def hit(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """Count one request against `limit`."""
        return self._on_either(lambda windows: windows.hit_and_read(limit, *identifiers))

    def peek(self, limit: RateLimitItem, *identifiers: str) -> Hit:
        """The Hit one more request would get against `limit`, without counting it."""
        return self._on_either(lambda windows: windows.peek(limit, *identifiers))

    def forget(self, limit: RateLimitItem, *identifiers: str) -> None:
        """End the window of these identifiers now."""
        self._on_either(lambda windows: windows.forget(limit, *identifiers))

    def _on_either(self, act: Callable[[FixedWindow | LocalWindows], T]) -> T:
        if self._recheck_at is not None and not self._store_is_back():
            return act(self._local)
        try:
            return act(self._shared)
        except StorageError as error:
            log.warning("rate-limit store failed, counting in process memory: %s", error)
            self._recheck_at = self._clock() + RECHECK_SECONDS
            return act(self._local)

    def _store_is_back(self) -> bool:
        if self._store is None or self._recheck_at is None or self._clock() < self._recheck_at:
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
