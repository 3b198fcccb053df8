"""Token outcomes, repository latency, unit-of-work outcomes and readiness, in process."""

from __future__ import annotations

import pytest
from dependency_injector import providers
from flask import Flask

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.storage import metered_units
from core.errors import Unavailable
from tests.fakes import FakeClock
from tests.unit.observability.samples import sample


def verifications(metrics: ServiceMetrics, outcome: str) -> float:
    return sample(metrics, "hexapi_token_verifications_total", outcome=outcome)


def units(metrics: ServiceMetrics, outcome: str) -> float:
    return sample(metrics, "hexapi_unit_of_work_total", backend="memory", outcome=outcome)


def test_token_verifications_are_counted_as_valid_invalid_expired_and_revoked(
    app: Flask, metrics: ServiceMetrics, clock: FakeClock
) -> None:
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    assert client.get("/api/restricted", headers=auth).status_code == 200
    assert client.get("/api/restricted", headers={"Authorization": "Bearer x.y"}).status_code == 401
    clock.advance(minutes=16)
    assert client.get("/api/restricted", headers=auth).status_code == 401
    clock.advance(minutes=-16)
    assert client.post("/api/auth/logout", headers=auth).status_code == 204
    assert client.get("/api/restricted", headers=auth).status_code == 401
    # logout verified the token once more before revoking it
    assert [verifications(metrics, o) for o in ("valid", "invalid", "expired", "revoked")] == [
        2,
        1,
        1,
        1,
    ]


def test_each_repository_call_is_timed_by_backend_repository_and_method(
    app: Flask, metrics: ServiceMetrics
) -> None:
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    item = client.post("/api/items", json={"title": "timed"}, headers=auth).get_json()
    client.get(f"/api/items/{item['id']}")
    client.get(f"/api/items/{item['id']}")

    def calls(method: str) -> float:
        return sample(
            metrics,
            "hexapi_storage_operation_duration_seconds_count",
            backend="memory",
            repository="items",
            method=method,
        )

    assert (calls("add"), calls("get")) == (1, 2)


def test_units_of_work_are_counted_as_commit_conflict_rollback_or_read_only(
    app: Flask, metrics: ServiceMetrics
) -> None:
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    item = client.post("/api/items", json={"title": "unique"}, headers=auth).get_json()
    assert client.post("/api/items", json={"title": "unique"}, headers=auth).status_code == 409
    client.get(f"/api/items/{item['id']}")
    assert [units(metrics, o) for o in ("commit", "conflict", "read_only")] == [1, 1, 1]


def test_a_unit_that_fails_without_committing_is_a_rollback(metrics: ServiceMetrics) -> None:
    store = InMemoryStore()
    factory = metered_units(
        lambda *, read_only=False: InMemoryUnitOfWork(store, read_only=read_only),
        metrics,
        "memory",
    )
    with pytest.raises(RuntimeError), factory():
        raise RuntimeError("use case failed")
    assert units(metrics, "rollback") == 1


def test_readiness_is_kept_per_dependency_as_the_last_check_found_it(
    app: Flask, metrics: ServiceMetrics
) -> None:
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    assert sample(metrics, "hexapi_dependency_ready", dependency="storage") == 1

    def down() -> None:
        raise Unavailable("storage is down")

    container = app.extensions["container"]
    with container.storage_check.override(providers.Object(down)):
        assert client.get("/readyz").status_code == 503
    assert sample(metrics, "hexapi_dependency_ready", dependency="storage") == 0
    assert sample(metrics, "hexapi_dependency_ready", dependency="session_store") == 1
