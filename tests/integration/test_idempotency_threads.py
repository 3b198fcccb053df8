"""50 threads send one keyed POST at once: one write, 50 identical answers, on every SQL backend
and with each store the answers can live in (memory, files, Redis)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from werkzeug.test import TestResponse

from adapters.sql.database import SqlDatabase
from api import create_app
from api.app import build_container
from api.settings import load_settings
from tests.contract.http_auth_contract import bearer, login, register
from tests.helpers import app_settings, unique

pytestmark = pytest.mark.integration

SENDERS = 50
STORES = ["memory", "filesystem", "redis"]


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL is required in CI")
        pytest.skip("TEST_REDIS_URL is not set")
    return url


@pytest.fixture(params=STORES)
def app(
    request: pytest.FixtureRequest, any_sql_database: SqlDatabase, tmp_path: Path
) -> Iterator[Flask]:
    store = request.param
    sessions: dict[str, Any] = {"SESSION_TYPE": store}
    if store == "filesystem":
        sessions["SESSION_FILE_DIR"] = str(tmp_path / "sessions")
    if store == "redis":
        sessions["REDIS_URL"] = redis_url()
    settings = app_settings(
        STORAGE_BACKEND="sql",
        DATABASE_URL=any_sql_database.engine.url.render_as_string(hide_password=False),
        RATELIMIT_ENABLED=False,
        REQUEST_LOG=False,
        IDEMPOTENCY_WAIT=20,
        **sessions,
    )
    container = build_container(load_settings(settings))
    container.sql_database.override(providers.Object(any_sql_database))
    yield create_app(settings, container=container)


def test_fifty_threads_sending_one_keyed_post_write_once_and_get_one_answer(app: Flask) -> None:
    client = app.test_client()
    auth = bearer(login(client, register(client, unique("racer"))["username"]))
    headers = {**auth, "Idempotency-Key": f'"{unique("race")}"'}
    title = unique("raced")
    start = threading.Barrier(SENDERS)

    def send(_: int) -> TestResponse:
        sender = app.test_client()
        start.wait()
        return sender.post("/api/items", json={"title": title}, headers=headers)

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        answers = list(pool.map(send, range(SENDERS)))
    statuses = [answer.status_code for answer in answers]
    assert statuses == [201] * SENDERS, statuses
    assert len({answer.get_data() for answer in answers}) == 1
    assert len({(answer.headers["Location"], answer.headers["ETag"]) for answer in answers}) == 1
    assert sum("Idempotent-Replayed" not in answer.headers for answer in answers) == 1
    listed = client.get(f"/api/items?title={title}").get_json()
    assert listed["total"] == 1
    assert client.get("/api/items").get_json()["total"] == 1
