"""PostgreSQL stops under a running service: bounded 503s, then recovery without a restart.

The database is a private cluster (initdb in a temporary folder, its own port), never the
machine's server; the service runs under gunicorn with its default settings otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from adapters.sql.database import db_create_all
from tests.helpers import unique
from tests.integration.processes import (
    Answer,
    PostgresCluster,
    Service,
    gunicorn_service,
    postgres_cluster,
    service_env,
    session_cookie,
    wait_until,
)

pytestmark = pytest.mark.integration

# Each answer during the outage must come within this many seconds: no hang.
BOUND = 10.0


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    with postgres_cluster() as running:
        yield running


@pytest.fixture
def service(
    cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    url = cluster.create_database("app")
    db_create_all(url)
    folder = tmp_path_factory.mktemp("service")
    settings = service_env(folder, DATABASE_URL=url, SQL_CONNECT_TIMEOUT="2", SQL_POOL_TIMEOUT="2")
    with gunicorn_service(settings, folder) as running:
        yield running


def timed(service: Service, method: str, path: str, **kwargs: Any) -> Answer:
    """The answer, checked to have come within BOUND seconds and not to be a 500."""
    return service.call_within(BOUND, method, path, **kwargs)


def assert_unavailable(answer: Answer) -> None:
    assert answer.status == 503, answer.body
    assert answer.json()["error"] == 503
    assert answer.json()["success"] is False
    assert answer.headers["retry-after"]


def test_a_database_outage_is_503_and_the_service_recovers_by_itself(
    cluster: PostgresCluster, service: Service
) -> None:
    public = service.call("GET", "/api/public")
    auth = {"Authorization": f"Bearer {public.json()['token']}", "Cookie": session_cookie(public)}
    created = service.call("POST", "/api/items", headers=auth, body={"title": unique()})
    assert created.status == 201
    item = created.json()
    # Both workers hold pooled connections that the stop will break.
    for _ in range(4):
        assert service.call("GET", "/api/items").status == 200

    cluster.stop()
    for _ in range(2):  # each worker in turn
        ready = timed(service, "GET", "/readyz")
        assert_unavailable(ready)
        assert ready.json()["dependencies"]["storage"]["status"] == "unavailable"
        assert_unavailable(timed(service, "GET", "/api/items"))
        assert_unavailable(timed(service, "GET", f"/api/items/{item['id']}"))
        write = timed(service, "POST", "/api/items", headers=auth, body={"title": unique()})
        assert_unavailable(write)
    assert timed(service, "GET", "/healthz").status == 200

    cluster.start()
    wait_until(lambda: service.call("GET", "/readyz").status == 200, timeout=30, what="recovery")
    for _ in range(4):
        assert service.call("GET", f"/api/items/{item['id']}").json() == item
    assert service.call("POST", "/api/items", headers=auth, body={"title": unique()}).status == 201
