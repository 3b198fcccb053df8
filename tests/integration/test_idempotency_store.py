"""Answers kept for Idempotency-Key in each store they may live in: memory, files, Redis, Mongo."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cachelib import BaseCache

from adapters.http.idempotency.store import IdempotencyStore
from adapters.mongo.session_cache import IDEMPOTENCY_KEYS, MongoSessionCache
from adapters.mongo.storage import MongoStorage
from adapters.session_store.caches import file_cache, memory_cache
from adapters.session_store.redis_cache import IDEMPOTENCY_PREFIX, RedisStoreCache, redis_client
from tests.helpers import unique
from tests.integration.processes import RedisServer, redis_server

pytestmark = pytest.mark.integration

STORES = ["memory", "files", "redis", "mongomock"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as running:
        yield running


@pytest.fixture(params=STORES)
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BaseCache]:
    if request.param == "memory":
        yield memory_cache()
    elif request.param == "files":
        yield file_cache(tmp_path / "idempotency", fail_closed=True)
    elif request.param == "redis":
        client = redis_client(request.getfixturevalue("server").url, timeout=1.0)
        yield RedisStoreCache(client, key_prefix=IDEMPOTENCY_PREFIX)
        client.close()
    else:
        storage = MongoStorage(uri="mongomock://localhost", database=unique("db"))
        yield MongoSessionCache(storage, collection=IDEMPOTENCY_KEYS)


def test_a_key_is_claimed_once_then_holds_its_answer(cache: BaseCache) -> None:
    store, scope = IdempotencyStore(cache, ttl=60, claim_ttl=60), unique("scope")
    assert store.claim(scope, "fingerprint") is None
    running = store.claim(scope, "fingerprint")
    assert running is not None and running.running
    headers = [("Content-Type", "application/json"), ("ETag", '"v1"'), ("Set-Cookie", "s=1")]
    store.keep(scope, "fingerprint", status=201, headers=headers, body=b'{"id": "1"}')
    kept = store.claim(scope, "another")
    assert kept is not None and not kept.running
    assert (kept.fingerprint, kept.status, kept.body) == ("fingerprint", 201, b'{"id": "1"}')
    assert kept.headers == (("Content-Type", "application/json"), ("ETag", '"v1"'))


def test_a_released_key_is_claimed_again(cache: BaseCache) -> None:
    store, scope = IdempotencyStore(cache, ttl=60, claim_ttl=60), unique("scope")
    assert store.claim(scope, "first") is None
    store.release(scope)
    assert store.claim(scope, "second") is None


def test_a_claim_whose_worker_was_lost_expires(cache: BaseCache) -> None:
    store, scope = IdempotencyStore(cache, ttl=60, claim_ttl=1), unique("scope")
    assert store.claim(scope, "first") is None
    time.sleep(1.2)  # the claim's lifetime, in whole seconds as every store counts it
    assert store.claim(scope, "first") is None
