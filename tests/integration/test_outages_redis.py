"""Redis stops under a running service: 503s where it is needed, within bounds; then recovery.

The service runs under gunicorn with REDIS_URL set (sessions, revoked tokens, rate-limit
counters in Redis) and the default SQLite storage; Redis is our own, stopped and restarted
on the same port while the service keeps running.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from adapters.sql.database import db_create_all
from tests.integration.processes import (
    Answer,
    RedisServer,
    Service,
    gunicorn_service,
    redis_server,
    service_env,
    session_cookie,
    wait_until,
)

pytestmark = pytest.mark.integration

# Each answer during the outage must come within this many seconds: no hang.
BOUND = 5.0


@pytest.fixture
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def service(redis: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("service")
    db_create_all(f"sqlite:///{folder / 'app.db'}")
    with gunicorn_service(service_env(folder, REDIS_URL=redis.url), folder) as running:
        ready = running.call("GET", "/readyz").json()
        assert ready["dependencies"]["session_store"]["status"] == "ok"
        yield running


def timed(service: Service, method: str, path: str, **kwargs: Any) -> Answer:
    """The answer, checked to have come within BOUND seconds and not to be a 500."""
    return service.call_within(BOUND, method, path, **kwargs)


def login(service: Service) -> dict[str, str]:
    answer = service.call("GET", "/api/public")
    assert answer.status == 200, answer.body
    return {"Authorization": f"Bearer {answer.json()['token']}", "Cookie": session_cookie(answer)}


def assert_unavailable(answer: Answer) -> None:
    assert answer.status == 503, answer.body
    body = answer.json()
    assert body["error"] == 503
    assert body["success"] is False
    assert answer.headers["retry-after"]


def test_a_redis_outage_is_503_where_sessions_are_needed_and_recovers(
    redis: RedisServer, service: Service
) -> None:
    headers = login(service)
    assert service.call("GET", "/api/restricted", headers=headers).status == 200

    redis.stop()
    ready = timed(service, "GET", "/readyz")
    assert_unavailable(ready)
    assert ready.json()["dependencies"]["session_store"]["status"] == "unavailable"
    assert ready.json()["dependencies"]["storage"]["status"] == "ok"
    # The deny-list cannot be read: the token is neither accepted nor called revoked.
    assert_unavailable(timed(service, "GET", "/api/restricted", headers=headers))
    assert_unavailable(timed(service, "GET", "/api/public"))
    assert_unavailable(timed(service, "POST", "/api/auth/logout", headers=headers))
    # Routes that need no session keep answering; rate limits fall back to process memory.
    assert timed(service, "GET", "/").status == 200
    assert timed(service, "GET", "/api/items", headers={"Cookie": headers["Cookie"]}).status == 200

    redis.start()
    wait_until(lambda: service.call("GET", "/readyz").status == 200, timeout=30, what="recovery")
    # This Redis kept nothing (no persistence): old sessions are gone, new ones work.
    fresh = login(service)
    assert timed(service, "GET", "/api/restricted", headers=fresh).status == 200
    assert timed(service, "POST", "/api/auth/logout", headers=fresh).status == 204
    assert timed(service, "GET", "/api/restricted", headers=fresh).status == 401
