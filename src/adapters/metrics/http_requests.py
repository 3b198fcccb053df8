"""Request count, latency and concurrency, labelled by route template (never the raw path)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from adapters.http.matched_route import matched_route
from adapters.metrics.direct import adder, observer
from adapters.metrics.instruments import ServiceMetrics

# A request no route matched (404, 405): one label value, whatever the path was.
UNMATCHED = "<unmatched>"
# Any other method is one label value: a client cannot mint series by inventing methods.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "OTHER"
TOO_MANY_REQUESTS = "429"

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class RequestMetrics:
    """WSGI middleware around the Flask app: times each request and counts its answer."""

    def __init__(self, app: WsgiApp, metrics: ServiceMetrics) -> None:
        self._app = app
        self._metrics = metrics
        self._in_flight = adder(metrics.http_in_flight)
        # Per (method, route, status): the request histogram's and counter's writers, made on
        # the first such answer (`labels()` takes a lock and builds its key on every call).
        self._recorders: dict[tuple[str, str, str], tuple[Callable[[float], None], ...]] = {}

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        # The status and the route: Flask starts its response while the request is still its
        # current one, and forgets it once the response is returned.
        answered: list[tuple[str, str | None]] = []

        def record_status(status: str, headers: Any, exc_info: Any = None) -> Any:
            answered.append((status, matched_route(environ)))
            return start_response(status, headers, exc_info)

        in_flight = self._in_flight
        in_flight(1.0)
        try:
            return self._app(environ, record_status)
        finally:
            in_flight(-1.0)
            status, route = answered[-1] if answered else ("500", None)
            method = environ.get("REQUEST_METHOD", "")
            if method not in KNOWN_METHODS:
                method = OTHER_METHOD
            key = (method, route or UNMATCHED, status[:3])
            recorders = self._recorders.get(key) or self._recorders_of(key)
            recorders[0](time.perf_counter() - started)
            recorders[1](1.0)
            if len(recorders) > 2:
                recorders[2](1.0)

    def _recorders_of(self, key: tuple[str, str, str]) -> tuple[Callable[[float], None], ...]:
        method, route, status = key
        metrics = self._metrics
        recorders: tuple[Callable[[float], None], ...] = (
            observer(metrics.http_duration.labels(method=method, route=route)),
            adder(metrics.http_requests.labels(method=method, route=route, status=status)),
        )
        if status == TOO_MANY_REQUESTS:
            recorders += (adder(metrics.rate_limit_refusals.labels(route=route)),)
        self._recorders[key] = recorders
        return recorders


def count_requests(app: Flask, metrics: ServiceMetrics) -> None:
    """Wrap the app's WSGI callable: each request counted and timed by its route template."""
    app.wsgi_app = RequestMetrics(app.wsgi_app, metrics)  # type: ignore[method-assign]
