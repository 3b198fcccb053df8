"""The bench's limit app does the service's work: same answers from the same storage and tokens.

`make bench` reports each route against `bench/serve/limit_app.py`; a ratio to it means something
only if the limit app verifies the same token, reads the same session and rows and answers the
same JSON. Both are served as the bench serves them, on SQLite with files and on PostgreSQL
with Redis.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.http.views.items import ItemOut
from tests.helpers import an_item, token_keys_json
from tests.integration.processes import Answer, http, redis_server
from tests.integration.servers import SERVERS, database_with_tables, server_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "serve"))
import rounds as bench  # noqa: E402 - the bench's scripts are not a package
from servers import production_env, serving  # noqa: E402

STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z")

pytestmark = pytest.mark.integration

SEEDED = 25  # more than a page of 20, so the page has a next cursor and its total is counted


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, int, tuple[tuple[str, str], ...], str]]:
    folder = tmp_path_factory.mktemp(request.param)
    with ExitStack() as stack:
        settings: dict[str, str] = {"WEB_CONCURRENCY": "1"}
        if request.param == "postgresql":
            database = stack.enter_context(database_with_tables(server_url(SERVERS["postgresql"])))
            (folder / "redis").mkdir()
            redis = stack.enter_context(redis_server(folder / "redis"))
            settings["DATABASE_URL"] = database.engine.url.render_as_string(hide_password=False)
            settings["REDIS_URL"] = redis.url
        env = production_env(folder / "instance", **settings)
        service = stack.enter_context(serving("api.wsgi:app", env, folder / "service"))
        limit = stack.enter_context(serving("limit_app:app", env, folder / "limit"))
        auth, item_id = bench.seed(service, count=SEEDED)
        yield service.port, limit.port, auth, item_id


def ask(port: int, shape: dict[str, Any], **overrides: Any) -> Answer:
    body = shape.get("body")
    return http(
        port,
        shape.get("method", "GET"),
        shape["path"],
        headers=dict(shape.get("headers", ())) | overrides.get("headers", {}),
        body=None if body is None else json.loads(body.replace("{n}", overrides["n"])),
    )


def shapes(pair: tuple[int, int, tuple[tuple[str, str], ...], str]) -> dict[str, dict[str, Any]]:
    return dict(bench.routes(pair[2], pair[3]))


RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


@pytest.mark.parametrize(
    ("route", "headers"),
    [
        ("GET /api/restricted", RATE_HEADERS),
        ("GET /api/items/<id>", ("etag", *RATE_HEADERS)),
        ("GET /api/items?limit=20", ("link", *RATE_HEADERS)),
    ],
)
def test_the_limit_app_reads_what_the_service_answers(
    pair: tuple[int, int, tuple[tuple[str, str], ...], str], route: str, headers: tuple[str, ...]
) -> None:
    shape = shapes(pair)[route]
    service, limit = ask(pair[0], shape), ask(pair[1], shape)
    assert (limit.status, limit.headers.get("content-type")) == (200, "application/json")
    assert service.status == 200
    mine, theirs = limit.json(), service.json()
    if "next" in theirs:  # signed with another MAC layout: the same kind of value, not the same
        assert isinstance(mine.pop("next"), str) and isinstance(theirs.pop("next"), str)
        assert theirs["total"] == SEEDED
    assert mine == theirs
    for name in headers:
        assert name in limit.headers and name in service.headers, name
    if "etag" in headers:
        assert limit.headers["etag"] == service.headers["etag"]


def test_the_limit_app_creates_the_item_the_service_would(
    pair: tuple[int, int, tuple[tuple[str, str], ...], str],
) -> None:
    shape = shapes(pair)["POST /api/items"]
    service, limit = ask(pair[0], shape, n="by service"), ask(pair[1], shape, n="by limit")
    assert (service.status, limit.status) == (201, 201)
    made, written = service.json(), limit.json()
    assert set(written) == set(made)
    assert (written["owner_id"], written["version"]) == (made["owner_id"], made["version"])
    assert written["title"] == "bench by limit"
    assert len(written["id"]) == len(made["id"])
    # A whole second is written without a fraction (one create in a thousand lands on one).
    assert STAMP.fullmatch(written["created_at"]) and STAMP.fullmatch(made["created_at"])
    # The service reads back what the limit app wrote: same table, same column formats.
    assert http(pair[0], "GET", limit.headers["location"]).json() == written
    assert ask(pair[1], shape, n="by limit").status == 409


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer not-a-token"},
        {"Cookie": "session=another-session"},
    ],
    ids=["a forged token", "the token's session missing"],
)
def test_the_limit_app_refuses_what_the_service_refuses(
    pair: tuple[int, int, tuple[tuple[str, str], ...], str], headers: dict[str, str]
) -> None:
    shape = shapes(pair)["GET /api/restricted"]
    assert ask(pair[0], shape, headers=headers).status == 401
    assert ask(pair[1], shape, headers=headers).status == 401


@pytest.mark.parametrize("microsecond", [0, 360_000, 1])
def test_the_limit_app_writes_a_timestamp_as_the_service_does(
    microsecond: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKEN_KEYS", token_keys_json())
    monkeypatch.setenv("SECRET_KEY", "bench-" + "x" * 32)
    limit_app = importlib.import_module("limit_app")  # it reads its settings on import
    when = datetime(2026, 12, 2, 0, 9, 11, microsecond, tzinfo=UTC)
    item = an_item(title="x")
    served = ItemOut.model_validate(replace(item, created_at=when)).model_dump(mode="json")
    assert limit_app.moment(when) == served["created_at"]
