"""A server span per request from OpenTelemetry's WSGI middleware, named by route template."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request
from opentelemetry import trace
from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware
from opentelemetry.metrics import MeterProvider
from opentelemetry.trace import TracerProvider

# Where the trace id waits for gunicorn's access line, written after the span has ended.
TRACE_ID_KEY = "hexapi.trace_id"
# Probes are polled every few seconds and would drown the traces that matter.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz"})

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def trace_requests(
    app: Flask, *, tracer_provider: TracerProvider, meter_provider: MeterProvider
) -> None:
    """Wrap the app in the WSGI middleware (W3C traceparent honoured) and name its spans.

    The WSGI middleware rather than the Flask instrumentation: that one runs the same
    middleware and then collects the request's attributes a second time in a before-request
    hook, its own cost on every request whether or not the span is sampled.
    """
    plain: WsgiApp = app.wsgi_app
    traced = OpenTelemetryMiddleware(
        plain, tracer_provider=tracer_provider, meter_provider=meter_provider
    )

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in UNTRACED_PATHS:
            return plain(environ, start_response)
        answer: Iterable[bytes] = traced(environ, start_response)
        return answer

    @app.after_request
    def name_span(response: Response) -> Response:
        span = trace.get_current_span()
        context = span.get_span_context()
        if context.is_valid:
            request.environ[TRACE_ID_KEY] = format(context.trace_id, "032x")
            rule = request.url_rule
            if rule is not None and span.is_recording():
                span.update_name(f"{request.method} {rule.rule}")
                span.set_attribute("http.route", rule.rule)
        return response

    app.wsgi_app = wsgi  # type: ignore[method-assign]
