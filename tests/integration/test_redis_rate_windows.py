"""Rate-limit windows in a real redis-server of our own: one round trip per hit, as limits counts."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from limits import parse
from limits.errors import StorageError
from limits.storage import RedisStorage
from redis import Connection, ConnectionPool, Redis

from adapters.http.rate_limits.counters import Counters
from adapters.http.rate_limits.limits import counter_store
from adapters.http.rate_limits.windows import FixedWindow
from adapters.session_store.redis_cache import redis_options
from tests.helpers import unique
from tests.integration.processes import RedisServer, redis_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as running:
        yield running


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
