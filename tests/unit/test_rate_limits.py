"""Rate limits: a default per client, a stricter one on credentials, 429 in the envelope."""

from __future__ import annotations

import gc
import threading

import pytest

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


@pytest.mark.parametrize("name", ["RATELIMIT_DEFAULT", "RATELIMIT_CREDENTIALS"])
def test_an_unreadable_limit_names_its_setting(name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: "lots and lots"})


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
