"""Request metrics on the memory backend: counts, latency, in-flight, bounded labels."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from adapters.metrics.instruments import ServiceMetrics
from api import create_app
from api.metrics_setup import scrape
from tests.helpers import app_settings
from tests.unit.observability.samples import sample


@pytest.fixture
def app() -> Flask:
    return create_app(app_settings(RATELIMIT_CREDENTIALS="2 per minute"))


def bearer(client: FlaskClient) -> dict[str, str]:
    return {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}


def test_requests_are_counted_by_method_route_template_and_status(
    app: Flask, metrics: ServiceMetrics
) -> None:
    client = app.test_client()
    auth = bearer(client)
    created = client.post("/api/items", json={"title": "counted"}, headers=auth).get_json()
    for _ in range(3):
        assert client.get(f"/api/items/{created['id']}").status_code == 200
    assert client.get("/api/items/no-such-id").status_code == 404

    def count(method: str, route: str, status: str) -> float:
        return sample(
            metrics, "hexapi_http_requests_total", method=method, route=route, status=status
        )

    assert count("GET", "/api/items/<item_id>", "200") == 3
    assert count("GET", "/api/items/<item_id>", "404") == 1
    assert count("POST", "/api/items", "201") == 1
    assert count("GET", "/api/public", "200") == 1
    assert (
        sample(
            metrics,
            "hexapi_http_request_duration_seconds_count",
            method="GET",
            route="/api/items/<item_id>",
        )
        == 4
    )


def test_raw_paths_ids_and_invented_methods_never_become_label_values(
    app: Flask, metrics: ServiceMetrics
) -> None:
    client = app.test_client()
    for number in range(5):
        client.get(f"/no/such/path/{number}")
    client.open("/", method="BREW")
    text = scrape(metrics)
    assert "/no/such/path" not in text
    assert "BREW" not in text
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert sample(metrics, "hexapi_http_requests_total", **unmatched) == 5
    assert (
        sample(
            metrics,
            "hexapi_http_requests_total",
            method="OTHER",
            route="<unmatched>",
            status="405",
        )
        == 1
    )


def test_no_request_is_left_in_flight_after_its_answer(app: Flask, metrics: ServiceMetrics) -> None:
    client = app.test_client()
    client.get("/")
    client.get("/no/such/path")
    assert sample(metrics, "hexapi_http_requests_in_flight") == 0


def test_a_request_is_in_flight_while_its_view_runs(app: Flask, metrics: ServiceMetrics) -> None:
    seen: list[float] = []

    @app.get("/probe-in-flight")
    def probe() -> dict[str, Any]:
        seen.append(sample(metrics, "hexapi_http_requests_in_flight"))
        return {}

    app.test_client().get("/probe-in-flight")
    assert seen == [1]


def test_rate_limit_refusals_are_counted_per_route(app: Flask, metrics: ServiceMetrics) -> None:
    client = app.test_client()
    answers = [
        client.post("/api/auth/token", json={"username": "nobody", "password": "x" * 12})
        for _ in range(4)
    ]
    assert [answer.status_code for answer in answers] == [401, 401, 429, 429]
    assert sample(metrics, "hexapi_rate_limit_refusals_total", route="/api/auth/token") == 2


def test_build_info_names_the_version(metrics: ServiceMetrics) -> None:
    assert 'hexapi_build_info{python="' in scrape(metrics)


def test_with_metrics_off_no_instrument_exists_and_requests_still_answer() -> None:
    app = create_app(app_settings(METRICS_ENABLED=False))
    assert app.extensions["container"].metrics() is None
    assert app.test_client().get("/").status_code == 200
