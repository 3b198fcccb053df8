"""Metrics for one app: the instruments, the request middleware and the SQL pool's gauges."""

from __future__ import annotations

from flask import Flask
from prometheus_client import CollectorRegistry, generate_latest

from adapters.metrics.http_requests import count_requests
from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.sql_pool import watch_pool
from adapters.sql.database import SqlDatabase
from api.settings import Settings
from api.version import __version__


def service_metrics(settings: Settings) -> ServiceMetrics | None:
    """The app's instruments on a registry of its own, or None when METRICS_ENABLED is off.

    Under gunicorn (PROMETHEUS_MULTIPROC_DIR set) the values go to files shared by the workers,
    and the scrape reads those, not this registry.
    """
    if not settings.METRICS_ENABLED:
        return None
    return ServiceMetrics(CollectorRegistry(), version=__version__)


def install_metrics(app: Flask, metrics: ServiceMetrics, database: SqlDatabase | None) -> None:
    """Count and time this app's requests; follow its SQL pool when it has one."""
    count_requests(app, metrics)
    if database is not None:
        watch_pool(database.engine, metrics)


def scrape(metrics: ServiceMetrics) -> str:
    """This process's metrics in the Prometheus text format (tests and single processes)."""
    return generate_latest(metrics.registry).decode()
