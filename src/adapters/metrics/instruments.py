"""Every metric the service exports, created once per app on a registry of its own."""

from __future__ import annotations

import platform

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Seconds. Requests here take 1–10 ms on a warm worker; the tail (a cold pool, a slow disk,
# argon2 at login: about 50 ms) and timeouts (SQL_POOL_TIMEOUT, REDIS_TIMEOUT) need the rest.
REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# One storage call is a fraction of its request: finer at the bottom.
STORAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5)

PREFIX = "hexapi"


class ServiceMetrics:
    """The instruments; label values are bounded by construction (route templates, enums)."""

    def __init__(self, registry: CollectorRegistry, *, version: str) -> None:
        def counter(name: str, doc: str, labels: tuple[str, ...]) -> Counter:
            return Counter(f"{PREFIX}_{name}", doc, labels, registry=registry)

        self.registry = registry
        self.http_requests = counter(
            "http_requests", "HTTP requests answered", ("method", "route", "status")
        )
        self.http_duration = Histogram(
            f"{PREFIX}_http_request_duration_seconds",
            "Time from the request reaching the app to its response being returned",
            ("method", "route"),
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        self.http_in_flight = Gauge(
            f"{PREFIX}_http_requests_in_flight",
            "Requests being handled now",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.rate_limit_refusals = counter(
            "rate_limit_refusals", "Requests refused with 429 by a rate limit", ("route",)
        )
        self.token_verifications = counter(
            "token_verifications",
            "Token verifications by outcome (valid, expired, revoked, invalid, unavailable)",
            ("outcome",),
        )
        self.storage_duration = Histogram(
            f"{PREFIX}_storage_operation_duration_seconds",
            "Repository calls, by backend, repository and method",
            ("backend", "repository", "method"),
            buckets=STORAGE_BUCKETS,
            registry=registry,
        )
        self.units_of_work = counter(
            "unit_of_work",
            "Units of work by outcome (commit, rollback, conflict, read_only)",
            ("backend", "outcome"),
        )
        self.sql_pool_checked_out = Gauge(
            f"{PREFIX}_sql_pool_checked_out_connections",
            "SQL connections lent out by the pool",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.sql_pool_overflow = Gauge(
            f"{PREFIX}_sql_pool_overflow_connections",
            "SQL connections open beyond SQL_POOL_SIZE (negative: pool slots never opened)",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.readiness = Gauge(
            f"{PREFIX}_dependency_ready",
            "1 when the dependency answered the last readiness check, else 0",
            ("dependency",),
            registry=registry,
            multiprocess_mode="mostrecent",
        )
        self.build_info = Gauge(
            f"{PREFIX}_build_info",
            "Always 1; the labels name the running version",
            ("version", "python"),
            registry=registry,
            multiprocess_mode="max",
        )
        self.build_info.labels(version=version, python=platform.python_version()).set(1)
