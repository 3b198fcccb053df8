"""Uniqueness and versions are enforced by the database under concurrent requests."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from dependency_injector import providers
from flask import Flask
from werkzeug.test import TestResponse

from adapters.sql.database import SqlDatabase
from api import create_app
from api.app import build_container
from api.settings import load_settings
from tests.helpers import app_settings

THREADS = 50


@pytest.fixture
def app(any_sql_database: SqlDatabase) -> Flask:
    settings = app_settings(STORAGE_BACKEND="sql", SQL_POOL_SIZE=THREADS)
    container = build_container(load_settings(settings))
    container.sql_database.override(providers.Object(any_sql_database))
    return create_app(settings, container=container)


def all_at_once(count: int, call: Callable[[], TestResponse]) -> Counter[int]:
    """Run `call` from `count` threads released together; the count of each status."""
    barrier = threading.Barrier(count)

    def released() -> int:
        barrier.wait()
        return call().status_code

    with ThreadPoolExecutor(count) as pool:
        return Counter(pool.map(lambda _: released(), range(count)))


def bearer(app: Flask, subject: str) -> dict[str, str]:
    """Headers with a token bound to no session, so any client may send it."""
    token = app.extensions["container"].token_service().issue(subject=subject).token
    return {"Authorization": f"Bearer {token}"}


def test_concurrent_inserts_of_one_title_give_one_201_and_the_rest_409(app: Flask) -> None:
    auth = bearer(app, "racer")

    def insert() -> TestResponse:
        return app.test_client().post("/api/items", json={"title": "contested"}, headers=auth)

    assert all_at_once(THREADS, insert) == Counter({201: 1, 409: THREADS - 1})
    assert app.test_client().get("/api/items?title=contested").get_json()["total"] == 1


def test_concurrent_updates_of_one_version_never_lose_a_write(app: Flask) -> None:
    auth = bearer(app, "owner")
    client = app.test_client()
    item = client.post("/api/items", json={"title": "v1"}, headers=auth).get_json()
    titles = iter(f"writer {n}" for n in range(THREADS))
    lock = threading.Lock()

    def update() -> TestResponse:
        with lock:
            title = next(titles)
        return app.test_client().patch(
            f"/api/items/{item['id']}", json={"title": title, "version": 1}, headers=auth
        )

    statuses = all_at_once(THREADS, update)
    assert statuses[200] == 1
    assert statuses[409] + statuses[412] == THREADS - 1
    final = client.get(f"/api/items/{item['id']}").get_json()
    assert final["version"] == 2 and final["title"].startswith("writer ")


UNCONDITIONAL_WRITERS = 20


def test_concurrent_unconditional_updates_all_succeed_last_writer_wins(app: Flask) -> None:
    auth = bearer(app, "owner")
    client = app.test_client()
    item = client.post("/api/items", json={"title": "shared"}, headers=auth).get_json()
    titles = iter(f"writer {n}" for n in range(UNCONDITIONAL_WRITERS))
    lock = threading.Lock()

    def update() -> TestResponse:
        with lock:
            title = next(titles)
        return app.test_client().patch(
            f"/api/items/{item['id']}", json={"title": title}, headers=auth
        )

    assert all_at_once(UNCONDITIONAL_WRITERS, update) == Counter({200: UNCONDITIONAL_WRITERS})
    final = client.get(f"/api/items/{item['id']}").get_json()
    assert final["version"] == 1 + UNCONDITIONAL_WRITERS
    assert final["title"].startswith("writer ")


def test_concurrent_conditional_updates_still_get_their_exact_answer(app: Flask) -> None:
    auth = bearer(app, "owner")
    client = app.test_client()
    created = client.post("/api/items", json={"title": "guarded"}, headers=auth)
    url, etag = created.headers["Location"], created.headers["ETag"]
    titles = iter(f"guarded {n}" for n in range(UNCONDITIONAL_WRITERS))
    lock = threading.Lock()

    def update() -> TestResponse:
        with lock:
            title = next(titles)
        return app.test_client().patch(
            url, json={"title": title}, headers={**auth, "If-Match": etag}
        )

    statuses = all_at_once(UNCONDITIONAL_WRITERS, update)
    assert statuses[200] == 1
    assert statuses[409] + statuses[412] == UNCONDITIONAL_WRITERS - 1
    assert client.get(url).get_json()["version"] == 2
