"""Answers kept under their keys in a cachelib cache (Redis, files, Mongo or memory).

An entry is first a claim (the request is running), then the answer it gave. Entries are plain
dicts, so an upgraded instance still reads what an older one stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cachelib import BaseCache

# Headers a replay never repeats: a cookie is the first caller's, the length is recomputed.
NOT_REPLAYED = frozenset({"set-cookie", "content-length"})


@dataclass(frozen=True, slots=True)
class Entry:
    """What a key holds: the request's fingerprint and, once it answered, that answer."""

    fingerprint: str
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    @property
    def running(self) -> bool:
        """Whether the request that claimed the key has not answered yet."""
        return self.status is None

    @classmethod
    def read(cls, stored: Any) -> Entry | None:
        """The entry a cache holds, None for nothing or something that is no entry."""
        if not isinstance(stored, dict) or not isinstance(stored.get("fingerprint"), str):
            return None
        return cls(
            fingerprint=stored["fingerprint"],
            status=stored.get("status"),
            headers=tuple((str(name), str(value)) for name, value in stored.get("headers", ())),
            body=bytes(stored.get("body", b"")),
        )

    def stored(self) -> dict[str, Any]:
        """The entry as the cache keeps it."""
        return {
            "fingerprint": self.fingerprint,
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "body": self.body,
        }


class IdempotencyStore:
    """Claims keys, keeps answers for `ttl` seconds, frees a key whose request failed.

    A claim lasts `claim_ttl` seconds, so a worker that dies mid-request frees its keys.
    """

    def __init__(self, cache: BaseCache, *, ttl: int, claim_ttl: int) -> None:
        self._cache = cache
        self._ttl = ttl
        self._claim_ttl = claim_ttl

    def claim(self, scope: str, fingerprint: str) -> Entry | None:
        """None when this request now holds the key; else the entry already there."""
        claim = Entry(fingerprint).stored()
        for _ in range(2):
            if self._cache.add(scope, claim, timeout=self._claim_ttl):
                return None
            entry = Entry.read(self._cache.get(scope))
            if entry is not None:
                return entry
            # Taken yet unreadable: an expired file the file store has not pruned, or an entry
            # freed a moment ago. Free it and claim again, once.
            self._cache.delete(scope)
        return Entry(fingerprint)  # still contended: answered as a running request

    def keep(
        self,
        scope: str,
        fingerprint: str,
        *,
        status: int,
        headers: Iterable[tuple[str, str]],
        body: bytes,
    ) -> None:
        """Store the answer of the request holding `scope`, for replays."""
        kept = tuple((name, value) for name, value in headers if name.lower() not in NOT_REPLAYED)
        entry = Entry(fingerprint, status=status, headers=kept, body=body)
        self._cache.set(scope, entry.stored(), timeout=self._ttl)

    def release(self, scope: str) -> None:
        """Free the key: the request it held will run again when retried."""
        self._cache.delete(scope)
