"""Forwarded headers count only when the direct peer is in TRUSTED_PROXIES."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, jsonify, request
from gunicorn.config import Config
from werkzeug.test import Client

from adapters.http.proxies import TrustedProxyFix
from api import create_app
from api.gunicorn_setup import gunicorn_options
from api.settings import SettingsError, load_settings
from tests.helpers import app_settings

FORWARDED = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}


def seen_by_the_app(trusted: str, peer: str) -> tuple[str, str]:
    """The client address and scheme an app behind TrustedProxyFix sees for a forwarded request."""
    app = Flask(__name__)

    @app.get("/")
    def echo() -> Any:
        return jsonify(address=request.remote_addr, scheme=request.scheme)

    entries = [entry for entry in trusted.split(",") if entry]
    app.wsgi_app = TrustedProxyFix(app.wsgi_app, trusted=entries, hops=1)  # type: ignore[method-assign]
    answer = Client(app).get("/", headers=FORWARDED, environ_base={"REMOTE_ADDR": peer})
    body = answer.get_json()
    return body["address"], body["scheme"]


@pytest.mark.parametrize(
    ("trusted", "peer"),
    [
        ("127.0.0.1,::1", "127.0.0.1"),
        ("127.0.0.1,::1", "::1"),
        ("10.0.0.0/8", "10.20.30.40"),
        ("10.0.0.0/8", "::ffff:10.20.30.40"),
        ("2001:db8::/32", "2001:db8::7"),
        ("*", "203.0.113.9"),
        ("unix", ""),
    ],
)
def test_a_trusted_peer_passes_on_the_forwarded_client(trusted: str, peer: str) -> None:
    assert seen_by_the_app(trusted, peer) == ("198.51.100.1", "https")


@pytest.mark.parametrize(
    ("trusted", "peer"),
    [
        ("127.0.0.1,::1", "203.0.113.9"),
        ("10.0.0.0/8", "11.0.0.1"),
        ("10.0.0.0/8", "::ffff:11.0.0.1"),
        ("2001:db8::/32", "2001:db9::7"),
        ("127.0.0.1", ""),
        ("", "127.0.0.1"),
    ],
)
def test_any_other_peer_is_the_client_itself(trusted: str, peer: str) -> None:
    assert seen_by_the_app(trusted, peer) == (peer, "http")


def test_a_client_without_a_proxy_cannot_pick_its_rate_limit_address() -> None:
    app = create_app(app_settings(RATELIMIT_DEFAULT="2 per minute", PROXY_FIX_X_FOR=1))
    client = app.test_client()
    direct = {"REMOTE_ADDR": "203.0.113.50"}
    statuses = [
        client.get(
            "/", headers={"X-Forwarded-For": f"198.51.100.{n}"}, environ_base=direct
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_a_configured_proxy_network_is_believed() -> None:
    app = create_app(
        app_settings(
            RATELIMIT_DEFAULT="1 per minute", PROXY_FIX_X_FOR=1, TRUSTED_PROXIES="10.0.0.0/8"
        )
    )
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    statuses = [
        client.get(
            "/", headers={"X-Forwarded-For": f"198.51.100.{n}"}, environ_base=proxy
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 200]
    # Loopback is no longer trusted once the list names other proxies.
    loopback = [client.get("/", headers={"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(2)]
    assert [answer.status_code for answer in loopback] == [200, 429]


@pytest.mark.parametrize("value", ["10.0.0.0/33", "localhost", "10.0.0.1,,nope", "::1/200"])
def test_a_bad_trusted_proxy_entry_refuses_to_start(value: str) -> None:
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        load_settings(app_settings(TRUSTED_PROXIES=value))


def test_the_default_trusts_loopback_only() -> None:
    assert load_settings(app_settings()).TRUSTED_PROXIES == ["127.0.0.1", "::1"]


def test_gunicorn_trusts_the_same_proxies_for_the_scheme() -> None:
    def allowed(**settings: Any) -> list[str]:
        options = gunicorn_options(load_settings(app_settings(**settings)))
        config = Config()  # gunicorn's own validation, as when it reads deploy/gunicorn.conf.py
        config.set("forwarded_allow_ips", options["forwarded_allow_ips"])
        ips: list[str] = config.forwarded_allow_ips
        return ips

    assert allowed() == []  # PROXY_FIX_X_FOR=0: no proxy, no forwarded header counts
    assert allowed(PROXY_FIX_X_FOR=1) == ["127.0.0.1", "::1"]
    assert allowed(PROXY_FIX_X_FOR=1, TRUSTED_PROXIES="10.1.2.3/8,unix,::1/128") == [
        "10.0.0.0/8",
        "::1",
    ]
    assert allowed(PROXY_FIX_X_FOR=2, TRUSTED_PROXIES="*") == ["*"]
