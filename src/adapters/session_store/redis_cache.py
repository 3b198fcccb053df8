"""Sessions and revoked token ids in Redis (cachelib's RedisCache), outages as Unavailable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cachelib import RedisCache
from redis import Redis, RedisError
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from core.errors import Unavailable

SESSION_PREFIX = "hexapi:sessions:"
REVOCATION_PREFIX = "hexapi:revocations:"
IDEMPOTENCY_PREFIX = "hexapi:idempotency:"


def redis_options(*, timeout: float) -> dict[str, Any]:
    """Client options that keep an outage short: bounded waits, one quick retry, no long backoff.

    redis-py's own default retries ten times with up to a second between tries, which would
    hold a request for seconds before the 503 it ends in anyway.
    """
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "health_check_interval": 30,
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.05), retries=1),
    }


def redis_client(url: str, *, timeout: float) -> Redis:
    """A client for REDIS_URL (options in the URL's query win); it connects on first use."""
    client: Redis = Redis.from_url(url, **redis_options(timeout=timeout))
    return client


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except RedisError as error:
        raise Unavailable("the session store is not answering") from error


class RedisStoreCache(RedisCache):
    """cachelib's RedisCache on a shared client, with an atomic `add` and outages as Unavailable.

    cachelib lets redis-py's errors through as they are, which the HTTP layer would answer
    with a 500 and the token deny-list would have to guess about; here every failure is
    Unavailable, so a revocation that cannot be read is a 503, never "not revoked".
    """

    def __init__(self, client: Redis, *, key_prefix: str, default_timeout: int = 300) -> None:
        super().__init__(host=client, key_prefix=key_prefix, default_timeout=default_timeout)

    def get(self, key: str) -> Any:
        """The value, None when absent or expired."""
        with _translated():
            return super().get(key)

    def set(self, key: str, value: Any, timeout: int | dt.timedelta | None = None) -> Any:
        """Store the value, replacing any."""
        with _translated():
            return super().set(key, value, timeout=timeout)

    def add(self, key: str, value: Any, timeout: int | dt.timedelta | None = None) -> bool:
        """Store the value only if the key is free, in one SET NX EX (cachelib sends two)."""
        seconds = self._normalize_timeout(timeout)
        with _translated():
            created = self._write_client.set(
                name=f"{self._get_prefix()}{key}",
                value=self.serializer.dumps(value),
                ex=seconds if seconds > 0 else None,
                nx=True,
            )
        return bool(created)

    def delete(self, key: str) -> bool:
        """Remove the entry; whether it existed."""
        with _translated():
            return bool(super().delete(key))

    def has(self, key: str) -> bool:
        """Whether a live entry has the key."""
        with _translated():
            return bool(super().has(key))
