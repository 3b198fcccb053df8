"""Request count, latency and concurrency, labelled by route template (never the raw path)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request
from prometheus_client.metrics import Counter, Histogram

from adapters.metrics.instruments import ServiceMetrics

# Where the after-request hook leaves the matched rule for the middleware, which runs outside
# Flask's request context.
ROUTE_KEY = "hexapi.route"
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
        # The labelled children, made once per (method, route, status): `labels()` takes a
        # lock and builds a tuple on every call.
        self._counters: dict[tuple[str, str, str], Counter] = {}
        self._histograms: dict[tuple[str, str], Histogram] = {}

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        answered: list[str] = []

        def record_status(status: str, headers: Any, exc_info: Any = None) -> Any:
            answered.append(status)
            return start_response(status, headers, exc_info)

        in_flight = self._metrics.http_in_flight
        in_flight.inc()
        try:
            return self._app(environ, record_status)
        finally:
            in_flight.dec()
            self._record(environ, answered[-1][:3] if answered else "500", started)

    def _record(self, environ: Environ, status: str, started: float) -> None:
        method = environ.get("REQUEST_METHOD", "")
        if method not in KNOWN_METHODS:
            method = OTHER_METHOD
        route = environ.get(ROUTE_KEY) or UNMATCHED
        histogram = self._histograms.get((method, route))
        if histogram is None:
            histogram = self._metrics.http_duration.labels(method=method, route=route)
            self._histograms[(method, route)] = histogram
        histogram.observe(time.perf_counter() - started)
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = self._metrics.http_requests.labels(method=method, route=route, status=status)
            self._counters[(method, route, status)] = counter
        counter.inc()
        if status == TOO_MANY_REQUESTS:
            self._metrics.rate_limit_refusals.labels(route=route).inc()


def count_requests(app: Flask, metrics: ServiceMetrics) -> None:
    """Wrap the app's WSGI callable and remember each request's route template for it."""

    @app.after_request
    def remember_route(response: Response) -> Response:
        rule = request.url_rule
        if rule is not None:
            request.environ[ROUTE_KEY] = rule.rule
        return response

    app.wsgi_app = RequestMetrics(app.wsgi_app, metrics)  # type: ignore[method-assign]
