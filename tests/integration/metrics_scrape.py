"""Scraping a service's metrics endpoint, as Prometheus would."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.integration.processes import http

Labels = tuple[tuple[str, str], ...]


def scrape(port: int) -> dict[tuple[str, Labels], float]:
    """Every sample of the scrape, by name and sorted labels."""
    answer = http(port, "GET", "/metrics")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.body.decode())
        for sample in family.samples
    }


def sample_names(port: int) -> set[str]:
    """The names of every sample the scrape holds."""
    return {name for name, _labels in scrape(port)}
