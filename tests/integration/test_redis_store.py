"""The Redis session store and token deny-list against a real redis-server of our own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from redis import Redis

from adapters.auth.revocations import CachelibRevocationList
from adapters.session_store.caches import ping_cache
from adapters.session_store.redis_cache import (
    REVOCATION_PREFIX,
    SESSION_PREFIX,
    RedisStoreCache,
    redis_client,
)
from core.errors import Unavailable
from tests.fakes import FakeClock
from tests.helpers import unique
from tests.integration.processes import RedisServer, redis_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as running:
        yield running


@pytest.fixture
def client(server: RedisServer) -> Iterator[Redis]:
    client = redis_client(server.url, timeout=1.0)
    yield client
    client.close()


def test_sessions_and_revocations_live_under_their_own_prefixes(client: Redis) -> None:
    sessions = RedisStoreCache(client, key_prefix=SESSION_PREFIX)
    revoked = RedisStoreCache(client, key_prefix=REVOCATION_PREFIX)
    key = unique()
    sessions.set(key, {"uid": "u1"}, timeout=60)
    assert revoked.get(key) is None
    assert sessions.get(key) == {"uid": "u1"}
    assert client.exists(f"{SESSION_PREFIX}{key}") == 1
    assert sessions.delete(key) is True
    assert sessions.get(key) is None


def test_add_claims_a_key_once_and_gives_it_an_expiry(client: Redis) -> None:
    cache = RedisStoreCache(client, key_prefix=REVOCATION_PREFIX)
    key = unique()
    assert cache.add(key, 1, timeout=120) is True
    assert cache.add(key, 1, timeout=120) is False
    assert 0 < client.ttl(f"{REVOCATION_PREFIX}{key}") <= 120


def test_the_deny_list_keeps_an_id_until_its_token_expires(client: Redis) -> None:
    clock = FakeClock()
    revocations = CachelibRevocationList(
        RedisStoreCache(client, key_prefix=REVOCATION_PREFIX), clock
    )
    token_id = unique()
    revocations.add(token_id, until=clock.now() + timedelta(minutes=15))
    assert revocations.contains(token_id)
    assert not revocations.contains(unique())
    assert 890 < client.ttl(f"{REVOCATION_PREFIX}revoked-token:{token_id}") <= 900


def test_the_readiness_check_passes_on_a_live_server(client: Redis) -> None:
    ping_cache(RedisStoreCache(client, key_prefix=SESSION_PREFIX))


def test_a_stopped_server_makes_every_operation_unavailable(
    server: RedisServer, client: Redis
) -> None:
    cache = RedisStoreCache(client, key_prefix=REVOCATION_PREFIX)
    revocations = CachelibRevocationList(cache, FakeClock())
    server.stop()
    try:
        # Fail closed: an unreadable deny-list is Unavailable, never "not revoked".
        with pytest.raises(Unavailable):
            revocations.contains(unique())
        with pytest.raises(Unavailable):
            cache.add(unique(), 1, timeout=60)
        with pytest.raises(Unavailable):
            ping_cache(cache)
    finally:
        server.start()
    assert cache.set(unique(), 1, timeout=60)
