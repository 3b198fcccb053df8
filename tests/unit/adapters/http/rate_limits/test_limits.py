"""Rate limits: a default per client, a stricter one on credentials, 429 in the envelope."""

from __future__ import annotations

import gc
import threading
import time
from typing import Any

import pytest
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage

from adapters.http.rate_limits.counters import RECHECK_SECONDS, Counters
from api import create_app
from api.settings import SettingsError, load_settings
from tests.contract.http_contract import assert_envelope
from tests.helpers import app_settings

CREDENTIALS = {"username": "nobody", "password": "wrong password!"}


def test_repeated_logins_hit_the_credentials_limit() -> None:
    client = create_app(app_settings(RATELIMIT_CREDENTIALS="3 per minute")).test_client()
    for _ in range(3):
        assert client.post("/api/auth/token", json=CREDENTIALS).status_code == 401
    refused = client.post("/api/auth/token", json=CREDENTIALS)
    body = assert_envelope(refused, 429)
    assert "3 per 1 minute" in body["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["X-RateLimit-Limit"] == "3"


def test_registration_shares_the_strict_limit_per_route() -> None:
    client = create_app(app_settings(RATELIMIT_CREDENTIALS="2 per minute")).test_client()
    for n in range(2):
        client.post("/api/users", json={"username": f"user{n}", "password": "x" * 16})
    assert_envelope(client.post("/api/users", json={"username": "u9", "password": "x" * 16}), 429)
    assert client.post("/api/auth/token", json=CREDENTIALS).status_code == 401


def test_other_routes_have_the_default_limit_and_probes_none() -> None:
    client = create_app(app_settings(RATELIMIT_DEFAULT="5 per minute")).test_client()
    assert [client.get("/").status_code for _ in range(6)] == [200] * 5 + [429]
    assert all(client.get("/healthz").status_code == 200 for _ in range(10))
    assert all(client.get("/readyz").status_code == 200 for _ in range(10))


def test_limits_can_be_switched_off() -> None:
    client = create_app(
        app_settings(RATELIMIT_ENABLED=False, RATELIMIT_DEFAULT="1 per minute")
    ).test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200] * 3


def test_clients_are_told_apart_by_address() -> None:
    app = create_app(app_settings(RATELIMIT_DEFAULT="2 per minute"))
    client = app.test_client()
    first = {"REMOTE_ADDR": "10.0.0.1"}
    second = {"REMOTE_ADDR": "10.0.0.2"}
    assert [client.get("/", environ_base=first).status_code for _ in range(3)][-1] == 429
    assert client.get("/", environ_base=second).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts() -> None:
    app = create_app(app_settings(RATELIMIT_DEFAULT="1 per minute", PROXY_FIX_X_FOR=1))
    client = app.test_client()
    assert client.get("/", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200
    assert client.get("/", headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 200
    assert client.get("/", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429


@pytest.mark.parametrize(
    "name",
    [
        "RATELIMIT_DEFAULT",
        "RATELIMIT_CREDENTIALS",
        "RATELIMIT_LOGIN_FAILURES",
        "RATELIMIT_LOGIN_FAILURES_ACCOUNT",
    ],
)
def test_an_unreadable_limit_names_its_setting(name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: "lots and lots"})


def test_an_asyncio_counter_store_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="RATELIMIT_STORAGE_URI"):
        load_settings({"RATELIMIT_STORAGE_URI": "async+redis://localhost:6379"})


@pytest.mark.parametrize("enabled", [True, False])
def test_limited_routes_survive_garbage_collection(enabled: bool) -> None:
    client = create_app(app_settings(RATELIMIT_ENABLED=enabled)).test_client()
    gc.collect()
    assert client.post("/api/auth/token", json=CREDENTIALS).status_code == 401


def test_the_in_process_store_starts_no_thread_per_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[object] = []
    timer = threading.Timer

    class CountingTimer(timer):  # type: ignore[misc, valid-type]
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(threading, "Timer", CountingTimer)
    client = create_app(app_settings(RATELIMIT_DEFAULT="100000 per minute")).test_client()
    for _ in range(300):
        client.get("/")
    assert len(started) <= 3


def test_limited_responses_tell_the_client_its_window() -> None:
    client = create_app(app_settings(RATELIMIT_DEFAULT="5 per minute")).test_client()
    client.get("/")
    response = client.get("/")
    assert response.headers["X-RateLimit-Limit"] == "5"
    assert response.headers["X-RateLimit-Remaining"] == "3"
    assert 0 < int(response.headers["X-RateLimit-Reset"]) - time.time() <= 60
    assert "Retry-After" not in response.headers
    assert "X-RateLimit-Limit" not in client.get("/healthz").headers


def test_each_route_counts_on_its_own() -> None:
    client = create_app(app_settings(RATELIMIT_DEFAULT="2 per minute")).test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/items").status_code == 200


def test_the_first_limit_reached_of_several_refuses() -> None:
    client = create_app(app_settings(RATELIMIT_DEFAULT="2 per minute;100 per hour")).test_client()
    responses = [client.get("/") for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 429]
    assert "2 per 1 minute" in responses[-1].get_json()["message"]
    assert responses[-1].headers["X-RateLimit-Limit"] == "2"


def test_unmatched_paths_are_not_counted() -> None:
    client = create_app(app_settings(RATELIMIT_DEFAULT="1 per minute")).test_client()
    assert [client.get("/nowhere").status_code for _ in range(3)] == [404] * 3
    assert client.get("/").status_code == 200


class FlakyStore(MemoryStorage):
    """An in-process store that can be switched off, failing the way a lost Redis does."""

    STORAGE_SCHEME = ["flaky-test"]
    down = False

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        if self.down:
            raise StorageError(ConnectionError("store is down"))
        return super().incr(key, expiry, amount)

    def get(self, key: str) -> int:
        if self.down:
            raise StorageError(ConnectionError("store is down"))
        return super().get(key)

    def clear(self, key: str) -> None:
        if self.down:
            raise StorageError(ConnectionError("store is down"))
        super().clear(key)

    def check(self) -> bool:
        return not self.down


def test_counting_falls_back_to_memory_while_the_store_is_down() -> None:
    store, now = FlakyStore(), [1000.0]
    counters = Counters(store, clock=lambda: now[0])
    limit = parse("2 per minute")
    assert counters.hit(limit, "client", "route").allowed

    store.down = True
    assert counters.hit(limit, "client", "route").allowed  # a fresh count in memory, not an error
    assert counters.falling_back
    assert counters.hit(limit, "client", "route").allowed
    assert not counters.hit(limit, "client", "route").allowed

    store.down = False
    now[0] += RECHECK_SECONDS - 1
    assert not counters.hit(limit, "client", "route").allowed  # still in memory until the recheck
    now[0] += 1
    assert counters.hit(limit, "client", "route").allowed  # the store's own count goes on from 1
    assert not counters.falling_back
    assert not counters.hit(limit, "client", "route").allowed


def test_a_store_still_down_at_the_recheck_is_asked_again_later() -> None:
    store, now = FlakyStore(), [1000.0]
    counters = Counters(store, clock=lambda: now[0])
    limit = parse("5 per minute")
    store.down = True
    counters.hit(limit, "client", "route")
    now[0] += RECHECK_SECONDS
    counters.hit(limit, "client", "route")
    assert counters.falling_back
    store.down = False
    now[0] += RECHECK_SECONDS
    counters.hit(limit, "client", "route")
    assert not counters.falling_back


def preflight(client: Any, path: str, **environ: str) -> int:
    """Send a browser's CORS preflight for a POST to `path`; its status."""
    headers = {"Origin": "http://allowed.example", "Access-Control-Request-Method": "POST"}
    return int(client.options(path, headers=headers, environ_base=environ).status_code)


def test_preflights_spend_no_credentials_budget() -> None:
    client = create_app(app_settings(RATELIMIT_CREDENTIALS="3 per minute")).test_client()
    assert [preflight(client, "/api/auth/token") for _ in range(10)] == [200] * 10
    assert [client.post("/api/auth/token", json=CREDENTIALS).status_code for _ in range(4)] == [
        401,
        401,
        401,
        429,
    ]


def test_preflights_count_in_a_window_of_their_own() -> None:
    client = create_app(app_settings(RATELIMIT_DEFAULT="3 per minute")).test_client()
    assert [preflight(client, "/api/items") for _ in range(4)] == [200, 200, 200, 429]
    assert [client.get("/api/items").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert preflight(client, "/api/items", REMOTE_ADDR="10.0.0.9") == 200


@pytest.mark.parametrize("down", [False, True])
def test_peek_and_forget_work_on_the_store_and_in_its_absence(down: bool) -> None:
    store = FlakyStore()
    counters = Counters(store, clock=lambda: 1000.0)
    limit = parse("1 per minute")
    store.down = down
    counters.hit(limit, "client")
    assert not counters.peek(limit, "client").allowed
    counters.forget(limit, "client")
    assert counters.peek(limit, "client").allowed
    assert counters.falling_back is down
