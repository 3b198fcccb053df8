"""Two gunicorn instances sharing one Redis and one PostgreSQL behave as one service.

Each instance has its own instance folder (no shared files), so whatever one knows about
another's sessions, revoked tokens or rate-limit counts came through Redis.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import unique
from tests.integration.processes import (
    RedisServer,
    Service,
    gunicorn_service,
    redis_server,
    service_env,
    session_cookie,
)
from tests.integration.servers import SERVERS, database_with_tables, server_url

pytestmark = pytest.mark.integration

RATE_LIMIT = 12  # requests per route and client, whichever instance answers
LOGIN_FAILURES = 4  # failed logins per account and address, whichever instance answers


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with database_with_tables(server_url(SERVERS["postgresql"])) as database:
        yield database.engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def instances(
    redis: RedisServer, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, Service]]:
    def env(name: str) -> tuple[dict[str, str], Path]:
        folder = tmp_path_factory.mktemp(name)
        settings = service_env(
            folder,
            DATABASE_URL=database_url,
            REDIS_URL=redis.url,
            RATELIMIT_DEFAULT=f"{RATE_LIMIT} per hour",
            RATELIMIT_CREDENTIALS="100 per hour",
            RATELIMIT_LOGIN_FAILURES=f"{LOGIN_FAILURES} per hour",
        )
        return settings, folder

    with gunicorn_service(*env("a")) as a, gunicorn_service(*env("b")) as b:
        yield a, b


def anonymous_login(service: Service) -> dict[str, str]:
    """Headers carrying a session-bound token from `GET /api/public` and its session cookie."""
    answer = service.call("GET", "/api/public")
    assert answer.status == 200, answer.body
    return {
        "Authorization": f"Bearer {answer.json()['token']}",
        "Cookie": session_cookie(answer),
    }


def test_both_instances_use_redis_for_sessions(instances: tuple[Service, Service]) -> None:
    for service in instances:
        body = service.call("GET", "/readyz").json()
        assert body["dependencies"]["session_store"]["status"] == "ok"


def test_a_session_bound_token_from_a_works_on_b_with_its_cookie(
    instances: tuple[Service, Service],
) -> None:
    a, b = instances
    headers = anonymous_login(a)
    assert b.call("GET", "/api/restricted", headers=headers).status == 200
    # Bound to the session: without the cookie B refuses it, as A would.
    alone = {"Authorization": headers["Authorization"]}
    assert b.call("GET", "/api/restricted", headers=alone).status == 401


def test_a_logout_on_a_is_refused_on_b(instances: tuple[Service, Service]) -> None:
    a, b = instances
    headers = anonymous_login(a)
    # B verifies (and caches) the token first, so the refusal cannot come from a cold cache.
    assert b.call("GET", "/api/restricted", headers=headers).status == 200
    assert a.call("POST", "/api/auth/logout", headers=headers).status == 204
    refused = b.call("GET", "/api/restricted", headers=headers)
    assert refused.status == 401
    assert refused.json()["success"] is False


def test_a_refresh_token_reused_on_the_other_instance_ends_the_login(
    instances: tuple[Service, Service],
) -> None:
    a, b = instances
    credentials = {"username": unique("ann"), "password": "correct horse battery"}
    assert a.call("POST", "/api/users", body=credentials).status == 201
    first = b.call("POST", "/api/auth/token", body=credentials).json()
    second = a.call("POST", "/api/auth/refresh", body={"refresh_token": first["refresh_token"]})
    assert second.status == 200
    # The spent refresh token presented again, elsewhere: the whole family is revoked.
    reused = b.call("POST", "/api/auth/refresh", body={"refresh_token": first["refresh_token"]})
    assert reused.status == 401
    bearer = {"Authorization": f"Bearer {second.json()['token']}"}
    assert a.call("GET", "/api/users/me", headers=bearer).status == 401


def test_an_item_written_through_a_is_read_through_b(instances: tuple[Service, Service]) -> None:
    a, b = instances
    created = a.call("POST", "/api/items", headers=anonymous_login(a), body={"title": unique()})
    assert created.status == 201
    read = b.call("GET", f"/api/items/{created.json()['id']}")
    assert read.status == 200
    assert read.json() == created.json()


def test_rate_limit_counts_are_shared_by_both_instances(
    instances: tuple[Service, Service],
) -> None:
    a, b = instances
    # Alternate instances: each alone would allow RATE_LIMIT requests, together only that many.
    answers = [(a if turn % 2 else b).call("GET", "/") for turn in range(RATE_LIMIT)]
    assert [answer.status for answer in answers] == [200] * RATE_LIMIT
    remaining = [int(answer.headers["x-ratelimit-remaining"]) for answer in answers]
    assert remaining == list(range(RATE_LIMIT - 1, -1, -1))
    resets = {int(answer.headers["x-ratelimit-reset"]) for answer in answers}
    assert max(resets) - min(resets) <= 1  # one window, kept by Redis for both
    for service in instances:
        over = service.call("GET", "/")
        assert over.status == 429
        assert over.json()["error"] == 429
        assert 0 < int(over.headers["retry-after"]) <= 3600


def test_failed_logins_of_an_account_are_counted_by_both_instances(
    instances: tuple[Service, Service],
) -> None:
    a, b = instances
    name, password = unique("user"), "correct horse battery"
    assert a.call("POST", "/api/users", body={"username": name, "password": password}).status == 201
    wrong = {"username": name, "password": "not the password"}
    answers = [
        (a if turn % 2 else b).call("POST", "/api/auth/token", body=wrong) for turn in range(6)
    ]
    assert [answer.status for answer in answers] == [401] * LOGIN_FAILURES + [429] * 2
    right = {"username": name, "password": password}
    for service in instances:
        refused = service.call("POST", "/api/auth/token", body=right)
        assert refused.status == 429
        assert "failed logins" in refused.json()["message"]
