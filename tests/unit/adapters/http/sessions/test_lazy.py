"""Sessions open on first use: routes that never read the session never reach its store."""

from __future__ import annotations

from typing import Any

import pytest
from cachelib import SimpleCache
from dependency_injector import providers
from flask import Flask
from flask.sessions import SecureCookieSession
from werkzeug.wrappers import Response

from adapters.http.sessions.lazy import LazySession, vary_on_cookie
from api import create_app
from api.app import build_container
from api.settings import load_settings
from tests.contract.http_contract import session_token
from tests.helpers import app_settings


class CountingCache(SimpleCache):
    """An in-memory session store that counts its reads and writes."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.writes = 0

    def get(self, key: str) -> Any:
        self.reads += 1
        return super().get(key)

    def set(self, key: str, value: Any, timeout: Any = None) -> Any:
        self.writes += 1
        return super().set(key, value, timeout=timeout)


@pytest.fixture
def store() -> CountingCache:
    return CountingCache()


@pytest.fixture
def app(store: CountingCache) -> Flask:
    settings = app_settings()
    container = build_container(load_settings(settings))
    container.session_cache.override(providers.Object(store))
    return create_app(settings, container=container)


def test_a_route_that_ignores_the_session_never_reads_it(app: Flask, store: CountingCache) -> None:
    client = app.test_client()
    auth = session_token(client)  # the client now sends its session cookie on every call
    reads, writes = store.reads, store.writes
    response = client.get("/api/items")
    assert response.status_code == 200
    assert (store.reads, store.writes) == (reads, writes)
    assert "Cookie" not in response.headers.get("Vary", "")

    restricted = client.get("/api/restricted", headers=auth)
    assert restricted.status_code == 200
    assert store.reads == reads + 1
    assert store.writes == writes  # read, not changed: nothing written, no new cookie
    assert "Cookie" in restricted.headers["Vary"]
    assert "Set-Cookie" not in restricted.headers


def test_a_request_without_a_session_gets_no_cookie(app: Flask) -> None:
    response = app.test_client().get("/")
    assert "Set-Cookie" not in response.headers


def test_the_first_write_stores_the_session_and_sets_the_cookie(
    app: Flask, store: CountingCache
) -> None:
    response = app.test_client().get("/api/public")
    assert "session=" in response.headers["Set-Cookie"]
    assert "Cookie" in response.headers["Vary"]
    assert store.writes == 1


def test_an_unused_lazy_session_is_neither_modified_nor_accessed() -> None:
    opened: list[SecureCookieSession] = []

    def open_session() -> SecureCookieSession:
        opened.append(SecureCookieSession())
        return opened[-1]

    session = LazySession(open_session)
    assert not session.modified and not session.accessed and not session.opened
    assert opened == []
    session["uid"] = "u1"
    assert session.opened and session.modified and session.get("uid") == "u1"
    assert len(opened) == 1 and opened[0]["uid"] == "u1"


@pytest.mark.parametrize(
    ("before", "after"),
    [(None, "Cookie"), ("Origin", "Origin, Cookie"), ("Cookie", "Cookie"), ("cookie", "cookie")],
)
def test_vary_gains_cookie_once(before: str | None, after: str) -> None:
    response = Response("x")
    if before is not None:
        response.headers["Vary"] = before
    vary_on_cookie(response)
    assert response.headers.getlist("Vary") == [after]
