"""A session store that stops answering: 503 where a session is used, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from cachelib import SimpleCache
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from api.app import build_container
from api.settings import load_settings
from core.errors import Unavailable
from tests.contract.http_contract import assert_envelope, session_token
from tests.helpers import app_settings


class SwitchableCache(SimpleCache):
    """A real in-memory cache that raises Unavailable, as the Redis and Mongo ones do, when down."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise Unavailable("the session store is not answering")

    def get(self, key: str) -> Any:
        self._check()
        return super().get(key)

    def set(self, key: str, value: Any, timeout: Any = None) -> Any:
        self._check()
        return super().set(key, value, timeout=timeout)

    def delete(self, key: str) -> Any:
        self._check()
        return super().delete(key)


@pytest.fixture
def cache() -> SwitchableCache:
    return SwitchableCache()


@pytest.fixture
def app(cache: SwitchableCache) -> Flask:
    settings = app_settings()
    container = build_container(load_settings(settings))
    container.session_cache.override(providers.Object(cache))
    container.revocation_cache.override(providers.Object(cache))
    return create_app(settings, container=container)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_a_bound_token_is_503_while_its_session_cannot_be_read(
    client: FlaskClient, cache: SwitchableCache
) -> None:
    headers = session_token(client)
    assert client.get("/api/restricted", headers=headers).status_code == 200
    cache.down = True
    response = client.get("/api/restricted", headers=headers)
    assert_envelope(response, 503)
    assert response.headers["Retry-After"]
    cache.down = False
    assert client.get("/api/restricted", headers=headers).status_code == 200


def test_a_session_that_cannot_be_saved_turns_the_answer_into_503(
    client: FlaskClient, cache: SwitchableCache
) -> None:
    cache.down = True
    # No cookie yet: nothing to read, the failure comes when the new session is stored.
    response = client.get("/api/public", headers={"X-Request-ID": "save-failed"})
    body = assert_envelope(response, 503)
    assert "token" not in body
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Request-ID"] == "save-failed"


def test_routes_that_need_no_session_answer_during_the_outage(
    client: FlaskClient, cache: SwitchableCache
) -> None:
    session_token(client)  # the client now sends a session cookie
    cache.down = True
    assert client.get("/").status_code == 200
    assert client.get("/api/items").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_readyz_names_the_session_store_as_unavailable(
    client: FlaskClient, cache: SwitchableCache
) -> None:
    cache.down = True
    body = assert_envelope(client.get("/readyz"), 503)
    assert body["dependencies"]["session_store"]["status"] == "unavailable"
    assert body["dependencies"]["storage"]["status"] == "ok"


def test_logout_is_503_and_revokes_nothing_while_the_store_is_down(
    client: FlaskClient, cache: SwitchableCache
) -> None:
    headers = session_token(client)
    cache.down = True
    assert_envelope(client.post("/api/auth/logout", headers=headers), 503)
    cache.down = False
    assert client.get("/api/restricted", headers=headers).status_code == 200
