"""cachelib caches for sessions and revoked tokens, and their readiness check."""

from __future__ import annotations

import secrets
from pathlib import Path

from cachelib import BaseCache, SimpleCache

from adapters.session_store.file_store import FileStore
from core.errors import Unavailable

SESSION_THRESHOLD = 100_000
UNBOUNDED = 0


def file_cache(
    directory: Path, *, threshold: int = SESSION_THRESHOLD, fail_closed: bool = False
) -> BaseCache:
    """Entries as files in `directory` (private to the service's user).

    Past `threshold` entries cachelib evicts old ones, which suits sessions; the token deny-list
    passes UNBOUNDED and `fail_closed`, because forgetting or misreading a revocation would let
    a revoked token back in.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return FileStore(str(directory), threshold=threshold, mode=0o600, fail_closed=fail_closed)


def memory_cache() -> BaseCache:
    """Entries in this process only (tests and single-process runs)."""
    return SimpleCache(threshold=SESSION_THRESHOLD)


def ping_cache(cache: BaseCache) -> None:
    """Write, read back and delete a probe entry; Unavailable when any step fails."""
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        stored = cache.set(key, value, timeout=10) and cache.get(key) == value
        cache.delete(key)
    except OSError as error:
        raise Unavailable("the session store is not answering") from error
    if not stored:
        raise Unavailable("the session store did not keep a probe entry")
