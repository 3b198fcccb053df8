"""The Grafana dashboard and the alert rules are valid and name only metrics the service has."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.sql.database import db_create_all
from tests.integration.metrics_scrape import sample_names
from tests.integration.processes import free_port, gunicorn_service, service_env, session_cookie

pytestmark = pytest.mark.integration

FILES = Path(__file__).resolve().parents[2] / "deploy" / "observability"
METRIC = re.compile(r"\bhexapi_[a-z_]+\b")


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((FILES / "grafana-dashboard.json").read_text())
    assert dashboard["uid"] and dashboard["title"]

    def panels(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for item in items:
            yield item
            yield from panels(item.get("panels", []))

    found = [
        target["expr"]
        for panel in panels(dashboard["panels"])
        for target in panel.get("targets", [])
    ]
    titles = {panel["title"] for panel in panels(dashboard["panels"])}
    assert {"Rate (requests/s)", "Errors (5xx share)", "Duration p50 / p99"} <= titles
    assert {"Storage calls (rate)", "Storage call duration p99"} <= titles
    return found


def alert_expressions() -> list[str]:
    rules = yaml.safe_load((FILES / "alerts.yml").read_text())
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    for rule in alerts:
        assert set(rule) == {"alert", "expr", "for", "labels", "annotations"}, rule
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]
    names = {rule["alert"] for rule in alerts}
    assert {"HexapiHighErrorRatio", "HexapiHighLatencyP99", "HexapiDependencyNotReady"} <= names
    return [rule["expr"] for rule in alerts]


@pytest.fixture(scope="module")
def scraped(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The sample names of a running service that has seen each kind of request."""
    folder = tmp_path_factory.mktemp("observability")
    db_create_all(f"sqlite:///{folder / 'app.db'}")
    port = free_port()
    env = service_env(folder, METRICS_BIND=f"127.0.0.1:{port}", RATELIMIT_CREDENTIALS="1 per hour")
    with gunicorn_service(env, folder / "run") as service:
        public = service.call("GET", "/api/public")
        auth = {
            "Authorization": f"Bearer {public.json()['token']}",
            "Cookie": session_cookie(public),
        }
        assert service.call("POST", "/api/items", headers=auth, body={"title": "t"}).status == 201
        assert service.call("GET", "/readyz").status == 200
        login = {"username": "nobody", "password": "x" * 12}
        statuses = {service.call("POST", "/api/auth/token", body=login).status for _ in range(4)}
        assert 429 in statuses
        return sample_names(port)


def test_the_dashboard_names_only_metrics_a_scrape_of_the_service_holds(
    scraped: set[str],
) -> None:
    named = {name for expr in dashboard_expressions() for name in METRIC.findall(expr)}
    assert len(named) >= 10
    assert named <= scraped, named - scraped


def test_the_alert_rules_name_only_metrics_a_scrape_of_the_service_holds(
    scraped: set[str],
) -> None:
    named = {name for expr in alert_expressions() for name in METRIC.findall(expr)}
    assert named <= scraped, named - scraped
