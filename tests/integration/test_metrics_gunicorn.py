"""Under gunicorn with two workers, one scrape of the master counts every worker's requests."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from adapters.sql.database import db_create_all
from tests.integration.metrics_scrape import scrape
from tests.integration.processes import (
    Service,
    free_port,
    gunicorn_service,
    service_env,
    session_cookie,
    wait_until,
)

pytestmark = pytest.mark.integration


def test_counters_and_histogram_counts_equal_a_known_sequence_spread_over_two_workers(
    tmp_path: Path,
) -> None:
    db_create_all(f"sqlite:///{tmp_path / 'app.db'}")
    metrics_port = free_port()
    # sync workers hold one connection each, so even sequential requests reach both; one gevent
    # worker could accept them all, and the test would prove nothing about adding workers up.
    env = service_env(
        tmp_path,
        WEB_CONCURRENCY="2",
        GUNICORN_WORKER="sync",
        METRICS_BIND=f"127.0.0.1:{metrics_port}",
    )
    expected: Counter[tuple[str, str, str]] = Counter()
    with gunicorn_service(env, tmp_path / "run") as service:
        # The second worker may still be importing the app when the first answers.
        wait_until(
            lambda: len(health_checkers(service, tmp_path / "run")) == 2,
            timeout=60,
            what="both workers to answer",
        )

        def call(method: str, path: str, route: str, status: int, **kwargs: object) -> None:
            answer = service.call(method, path, **kwargs)  # type: ignore[arg-type]
            assert answer.status == status, answer.body
            expected[(method, route, str(status))] += 1

        public = service.call("GET", "/api/public")
        expected[("GET", "/api/public", "200")] += 1
        auth = {
            "Authorization": f"Bearer {public.json()['token']}",
            "Cookie": session_cookie(public),
        }
        # A burst of concurrent connections: both idle workers wake to accept one, where a
        # strictly sequential client can be served by one worker alone on a quiet machine.
        with ThreadPoolExecutor(max_workers=8) as pool:
            burst = list(pool.map(lambda _: service.call("GET", "/"), range(16)))
        assert [answer.status for answer in burst] == [200] * 16
        expected[("GET", "/", "200")] += 16
        for _ in range(7):
            call("GET", "/", "/", 200)
        for number in range(4):
            call(
                "POST", "/api/items", "/api/items", 201, headers=auth, body={"title": f"n{number}"}
            )
        call("POST", "/api/items", "/api/items", 409, headers=auth, body={"title": "n0"})
        item_id = service.call("GET", "/api/items?limit=1").json()["items"][0]["id"]
        expected[("GET", "/api/items", "200")] += 1
        for _ in range(5):
            call("GET", f"/api/items/{item_id}", "/api/items/<item_id>", 200)
        for _ in range(3):
            call("GET", "/api/items/0123456789abcdef", "/api/items/<item_id>", 404)
        call("GET", "/no/such/route", "<unmatched>", 404)
        call("DELETE", "/", "<unmatched>", 405)
        # Metrics are served on METRICS_BIND only, never on the public port.
        call("GET", "/metrics", "<unmatched>", 404)
        samples = scrape(metrics_port)

    workers = {
        json.loads(line)["pid"]
        for line in (tmp_path / "run" / "access.log").read_text().splitlines()
        if line.startswith("{") and '"/healthz"' not in line
    }
    assert len(workers) == 2, "the sequence should have been served by both workers"

    counted = {
        (labels["method"], labels["route"], labels["status"]): value
        for (name, label_items), value in samples.items()
        if name == "hexapi_http_requests_total"
        for labels in [dict(label_items)]
        if labels["route"] != "/healthz"  # the readiness wait of the test's own start
    }
    assert counted == dict(expected)
    per_route: Counter[tuple[str, str]] = Counter()
    for (method, route, _status), number in expected.items():
        per_route[(method, route)] += number
    for (method, route), number in per_route.items():
        labels = (("method", method), ("route", route))
        assert samples[("hexapi_http_request_duration_seconds_count", labels)] == number
        infinite = tuple(sorted((*labels, ("le", "+Inf"))))
        assert samples[("hexapi_http_request_duration_seconds_bucket", infinite)] == number
    assert samples[("hexapi_http_requests_in_flight", ())] == 0


def test_each_start_counts_from_zero_in_a_given_multiprocess_folder(tmp_path: Path) -> None:
    db_create_all(f"sqlite:///{tmp_path / 'app.db'}")
    metrics_port = free_port()
    env = service_env(
        tmp_path,
        METRICS_BIND=f"127.0.0.1:{metrics_port}",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    root = ("hexapi_http_requests_total", (("method", "GET"), ("route", "/"), ("status", "200")))
    for _start in range(2):
        with gunicorn_service(env, tmp_path / "run") as service:
            for _ in range(3):
                assert service.call("GET", "/").status == 200
            assert scrape(metrics_port)[root] == 3
    assert list((tmp_path / "metrics").glob("*.db")), "the folder given is kept between starts"


def health_checkers(service: Service, directory: Path) -> set[int]:
    """The workers that have answered `/healthz`, after asking once more."""
    service.call("GET", "/healthz")
    return {
        json.loads(line)["pid"]
        for line in (directory / "access.log").read_text().splitlines()
        if line.startswith("{") and '"/healthz"' in line
    }
