"""Redis sessions, token deny-list and rate-limit windows, on a redis-server of our own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from limits import parse
from limits.errors import StorageError
from limits.storage import RedisStorage
from redis import Connection, ConnectionPool, Redis

from adapters.auth.revocations import CachelibRevocationList
from adapters.http.rate_limits.counters import Counters
from adapters.http.rate_limits.limits import counter_store
from adapters.http.rate_limits.windows import FixedWindow
from adapters.session_store.caches import ping_cache
from adapters.session_store.redis_cache import (
    REVOCATION_PREFIX,
    SESSION_PREFIX,
    RedisStoreCache,
    redis_client,
    redis_options,
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


@pytest.fixture
def store(server: RedisServer) -> RedisStorage:
    found = counter_store(server.url, redis_options(timeout=1.0))
    assert isinstance(found, RedisStorage)
    return found


class CountingConnection(Connection):
    """A Redis connection that counts the commands it sends (each one a round trip)."""

    sent = 0

    def send_packed_command(self, command: object, check_health: bool = True) -> None:
        CountingConnection.sent += 1
        super().send_packed_command(command, check_health)  # type: ignore[no-untyped-call]


def test_a_hit_counts_in_limits_own_key_and_reads_its_window_in_one_round_trip(
    server: RedisServer,
) -> None:
    pool = ConnectionPool.from_url(server.url, connection_class=CountingConnection)
    store = RedisStorage(server.url, connection_pool=pool, wrap_exceptions=True)
    limit, windows, who = parse("3 per minute"), FixedWindow(store), unique()
    windows.hit_and_read(limit, who)  # loads the script into the server
    before = CountingConnection.sent
    second = windows.hit_and_read(limit, who)
    assert CountingConnection.sent - before == 1
    key = limit.key_for(who)
    assert store.get(key) == 2
    assert (second.allowed, second.remaining) == (True, 1)
    assert abs(second.reset_at - store.get_expiry(key)) <= 1
    assert 55 <= second.reset_at - time.time() <= 60
    windows.hit_and_read(limit, who)
    refused = windows.hit_and_read(limit, who)
    assert (refused.allowed, refused.remaining) == (False, 0)


def test_the_first_hit_of_a_window_gives_its_key_the_window_s_expiry(
    server: RedisServer, store: RedisStorage
) -> None:
    limit, who = parse("5 per 10 seconds"), unique()
    FixedWindow(store).hit_and_read(limit, who)
    assert 0 < Redis.from_url(server.url).ttl(store.prefixed_key(limit.key_for(who))) <= 10


def test_a_stopped_server_is_a_storage_error_and_counting_goes_on_in_process(
    server: RedisServer, store: RedisStorage
) -> None:
    limit = parse("2 per minute")
    counters = Counters(store)
    server.stop()
    try:
        with pytest.raises(StorageError):
            FixedWindow(store).hit_and_read(limit, unique())
        assert counters.hit(limit, "client").allowed
        assert counters.falling_back
    finally:
        server.start()
