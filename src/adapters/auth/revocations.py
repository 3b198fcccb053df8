"""RevocationList adapters: in process memory, and in a cachelib cache shared by instances."""

from __future__ import annotations

import math
import threading
from datetime import datetime

from cachelib import BaseCache

from core.errors import Unavailable
from core.ports.clock import Clock


class InMemoryRevocationList:
    """Revoked token ids in a dict; for tests and single-process development only."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._until: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def add(self, token_id: str, *, until: datetime) -> None:
        """Remember the id as revoked until `until`."""
        now = self._clock.now()
        with self._lock:
            # Pruning on each write keeps the dict bounded by the tokens still alive.
            for expired in [key for key, end in self._until.items() if end <= now]:
                del self._until[expired]
            if until > now:
                self._until[token_id] = until

    def contains(self, token_id: str) -> bool:
        """Whether the id is revoked."""
        now = self._clock.now()
        with self._lock:
            until = self._until.get(token_id)
            if until is not None and until <= now:
                del self._until[token_id]
                until = None
        return until is not None

    def claim(self, token_id: str, *, until: datetime) -> bool:
        """Revoke the id unless it already is; whether this call revoked it."""
        with self._lock:
            if self._is_live(token_id):
                return False
            self._until[token_id] = until
            return True

    def _is_live(self, token_id: str) -> bool:
        until = self._until.get(token_id)
        return until is not None and until > self._clock.now()

    def __len__(self) -> int:
        """How many ids are held, expired ones not yet dropped included."""
        return len(self._until)


class CachelibRevocationList:
    """Revoked token ids in a cachelib cache, each expiring with its token.

    The cache must never evict live entries: build FileSystemCache with threshold=0 (its default
    of 500 silently forgets older revocations) and give it a directory of its own.
    """

    def __init__(self, cache: BaseCache, clock: Clock, *, prefix: str = "revoked-token:") -> None:
        self._cache = cache
        self._clock = clock
        self._prefix = prefix

    def add(self, token_id: str, *, until: datetime) -> None:
        """Remember the id as revoked until `until`; Unavailable if the cache refuses it."""
        seconds = math.ceil((until - self._clock.now()).total_seconds())
        # cachelib reads a timeout of 0 as "never expire"; a token already expired needs no entry.
        if seconds <= 0:
            return
        if not self._cache.set(self._prefix + token_id, 1, timeout=seconds):
            raise Unavailable("the token revocation could not be stored")

    def contains(self, token_id: str) -> bool:
        """Whether the id is revoked."""
        return self._cache.get(self._prefix + token_id) is not None

    def claim(self, token_id: str, *, until: datetime) -> bool:
        """Revoke the id unless it already is, with the cache's add (SET NX on Redis)."""
        seconds = math.ceil((until - self._clock.now()).total_seconds())
        if seconds <= 0:
            return True
        return bool(self._cache.add(self._prefix + token_id, 1, timeout=seconds))
