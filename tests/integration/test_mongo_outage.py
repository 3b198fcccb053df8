"""A MongoDB that does not answer is a 503, through the real pymongo client (no server needed).

The URI points at a loopback port nobody listens on, so pymongo's server selection gives up
after MONGODB_TIMEOUT_MS; no sleep, only that bounded timeout.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from flask import Flask

from adapters.mongo.storage import MongoStorage
from api import create_app
from core.errors import Unavailable
from tests.contract.http_contract import assert_envelope
from tests.helpers import app_settings

pytestmark = pytest.mark.integration

TIMEOUT_MS = 200


@pytest.fixture
def dead_uri() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"mongodb://127.0.0.1:{port}/?directConnection=true"


@pytest.fixture
def app(dead_uri: str) -> Iterator[Flask]:
    app = create_app(
        app_settings(
            STORAGE_BACKEND="mongo",
            SESSION_TYPE="mongodb",
            MONGODB_URI=dead_uri,
            MONGODB_TIMEOUT_MS=TIMEOUT_MS,
        )
    )
    yield app
    app.extensions["container"].mongo_storage().close()


def test_a_ping_to_a_dead_server_is_unavailable(dead_uri: str) -> None:
    storage = MongoStorage(uri=dead_uri, database="app", timeout_ms=TIMEOUT_MS)
    try:
        with pytest.raises(Unavailable):
            storage.ping()
    finally:
        storage.close()


def test_item_routes_answer_503_with_retry_after(app: Flask) -> None:
    response = app.test_client().get("/api/items")
    assert_envelope(response, 503)
    assert response.headers["Retry-After"]


def test_readyz_names_storage_and_sessions_as_unavailable(app: Flask) -> None:
    body = assert_envelope(app.test_client().get("/readyz"), 503)
    assert body["dependencies"]["storage"]["status"] == "unavailable"
    assert body["dependencies"]["session_store"]["status"] == "unavailable"


def test_db_upgrade_explains_that_the_server_does_not_answer(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code != 0
    assert "not answering" in result.output


def test_a_dead_session_store_fails_only_the_routes_that_use_sessions(dead_uri: str) -> None:
    app = create_app(
        app_settings(
            STORAGE_BACKEND="memory",
            SESSION_TYPE="mongodb",
            MONGODB_URI=dead_uri,
            MONGODB_TIMEOUT_MS=TIMEOUT_MS,
        )
    )
    try:
        client = app.test_client()
        assert client.get("/").status_code == 200
        assert_envelope(client.get("/api/public"), 503)
    finally:
        app.extensions["container"].mongo_storage().close()
