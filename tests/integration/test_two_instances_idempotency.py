"""Idempotency-Key across two gunicorn instances sharing one Redis and one PostgreSQL.

Each instance has its own instance folder, so an answer one replays for the other's write
came through Redis.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import unique
from tests.integration.processes import (
    Answer,
    Service,
    gunicorn_service,
    redis_server,
    service_env,
)
from tests.integration.servers import SERVERS, database_with_tables, server_url
from tests.integration.test_two_instances import anonymous_login

pytestmark = pytest.mark.integration

SENDERS = 50
REPLAYED = ("content-type", "etag", "location")


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, Service]]:
    with (
        redis_server(tmp_path_factory.mktemp("redis")) as redis,
        database_with_tables(server_url(SERVERS["postgresql"])) as database,
    ):
        url = database.engine.url.render_as_string(hide_password=False)

        def env(name: str) -> dict[str, str]:
            return service_env(
                tmp_path_factory.mktemp(name),
                DATABASE_URL=url,
                REDIS_URL=redis.url,
                RATELIMIT_ENABLED="false",
                ACCESS_LOG="false",
                REQUEST_LOG="false",
                IDEMPOTENCY_WAIT="20",
            )

        first, second = env("a"), env("b")
        with (
            gunicorn_service(first, tmp_path_factory.mktemp("a-run")) as a,
            gunicorn_service(second, tmp_path_factory.mktemp("b-run")) as b,
        ):
            yield a, b


def listed(service: Service, title: str) -> int:
    total: int = service.call("GET", f"/api/items?title={title}").json()["total"]
    return total


def assert_same(first: Answer, again: Answer) -> None:
    assert (again.status, again.body) == (first.status, first.body)
    for name in REPLAYED:
        assert again.headers.get(name) == first.headers.get(name), name


def test_fifty_senders_on_both_instances_write_once_and_get_one_answer(
    instances: tuple[Service, Service],
) -> None:
    a, b = instances
    headers = anonymous_login(a) | {"Idempotency-Key": f'"{unique("race")}"'}
    title = unique("raced")
    start = threading.Barrier(SENDERS)

    def send(turn: int) -> Answer:
        start.wait()
        return (a if turn % 2 else b).call(
            "POST", "/api/items", headers=headers, body={"title": title}
        )

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        answers = list(pool.map(send, range(SENDERS)))
    assert [answer.status for answer in answers] == [201] * SENDERS, a.log()[-2000:]
    for answer in answers[1:]:
        assert_same(answers[0], answer)
    assert sum("idempotent-replayed" not in answer.headers for answer in answers) == 1
    assert listed(a, title) == listed(b, title) == 1


def test_a_write_on_a_is_replayed_by_b_and_its_key_refused_for_another_body(
    instances: tuple[Service, Service],
) -> None:
    a, b = instances
    headers = anonymous_login(a) | {"Idempotency-Key": f'"{unique("key")}"'}
    title = unique("once")
    first = a.call("POST", "/api/items", headers=headers, body={"title": title})
    assert first.status == 201
    again = b.call("POST", "/api/items", headers=headers, body={"title": title})
    assert_same(first, again)
    assert again.headers["idempotent-replayed"] == "true"
    other = b.call("POST", "/api/items", headers=headers, body={"title": unique("other")})
    assert other.status == 422
    assert listed(b, title) == 1
