"""A server span per request, sampled once at the WSGI boundary, named by route template."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from opentelemetry import context, propagate, trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware, wsgi_getter
from opentelemetry.metrics import MeterProvider
from opentelemetry.propagators.textmap import TextMapPropagator
from opentelemetry.trace import SpanKind, TracerProvider

from adapters.http.matched_route import matched_route
from adapters.tracing.current_context import SPAN_KEY, context_variable, span_in
from adapters.tracing.dropped_roots import dropped_roots
from adapters.tracing.handoff import HandOff
from adapters.tracing.unsampled import DROPPED

# Where the trace id waits for gunicorn's access line, written after the span has ended.
TRACE_ID_KEY = "hexapi.trace_id"
# Probes are polled every few seconds and would drown the traces that matter.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz"})

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ServerSpans:
    """WSGI middleware: the sampler decides first; only a recorded request pays for its span.

    A request the sampler records goes through OpenTelemetry's WSGI middleware, handed the
    span decided here (its request and response attributes, status, end after the body). Any
    other request runs under its non-recording span alone: the trace id and the caller's
    sampled flag stay current, for the logs and for whatever the request calls downstream,
    and the middleware's attribute collection, context switches and body generator are
    skipped (docs/observability.md has the figures).
    """

    def __init__(
        self, app: WsgiApp, *, tracer_provider: TracerProvider, meter_provider: MeterProvider
    ) -> None:
        self._plain = app
        hand_off = HandOff(tracer_provider)
        self._traced = OpenTelemetryMiddleware(
            app, tracer_provider=hand_off, meter_provider=meter_provider
        )
        # The middleware's own tracer (its scope and schema): the spans decided here are its.
        (self._tracer,) = hand_off.tracers
        self._pending = hand_off.pending
        # Set when the sampler drops every new trace: their spans are made without asking it.
        self._dropped_root = dropped_roots(self._tracer)
        self._textmap: TextMapPropagator | None = None
        self._carried: frozenset[str] = frozenset()
        self._context = context_variable()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") in UNTRACED_PATHS:
            return self._plain(environ, start_response)
        # As the middleware does: a server span under the caller's traceparent, or an
        # internal one when some outer layer already made a span current.
        variable = self._context
        current = context.get_current() if variable is None else variable.get()
        # Most requests find no span current, and carry none of the propagators' headers:
        # under a sampler that drops every new trace, they are decided here, in this frame.
        outer = None if current.get(SPAN_KEY) is None else span_in(current)
        if outer is None or outer is trace.INVALID_SPAN:
            textmap = propagate.get_global_textmap()
            if textmap is not self._textmap:
                self._read_fields(textmap)
            if environ.keys().isdisjoint(self._carried):
                if self._dropped_root is not None:
                    root, trace_id = self._dropped_root()
                    return self._unsampled(root, trace_id, Context(), environ, start_response)
                parent = Context()
            else:
                parent = propagate.extract(environ, getter=wsgi_getter)
            kind = SpanKind.SERVER
        else:
            parent, kind = current, SpanKind.INTERNAL
        # The method alone names it for the sampler; the middleware names a recorded span.
        span = self._tracer.start_span(environ.get("REQUEST_METHOD", ""), parent, kind)
        if span.is_recording():
            environ[TRACE_ID_KEY] = f"{span.get_span_context().trace_id:032x}"

            def name_span(status: str, headers: Any, exc_info: Any = None) -> Any:
                # The app starts its answer while the request it matched is still its own.
                route = matched_route(environ)
                if route is not None:
                    span.update_name(f"{environ.get('REQUEST_METHOD', '')} {route}")
                    span.set_attribute("http.route", route)
                return start_response(status, headers, exc_info)

            handing = self._pending.set(span)
            try:
                return self._traced(environ, name_span)
            finally:
                self._pending.reset(handing)
        trace_id = span.get_span_context().trace_id
        return self._unsampled(span, trace_id, parent, environ, start_response)

    def _unsampled(
        self,
        span: trace.Span,
        trace_id: int,
        parent: Context,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
    ) -> Any:
        """The request under its non-recording span, marked as dropped."""
        environ[TRACE_ID_KEY] = f"{trace_id:032x}"
        # What trace.set_span_in_context(span, parent) makes.
        under_span = Context({**parent, SPAN_KEY: span})
        variable = self._context
        if variable is None:
            token = context.attach(under_span)
        else:
            token = variable.set(under_span)
        dropped = DROPPED.set(True)
        try:
            return self._plain(environ, start_response)
        finally:
            DROPPED.reset(dropped)
            if variable is None:
                context.detach(token)
            else:
                variable.reset(token)

    def _read_fields(self, textmap: TextMapPropagator) -> None:
        """The environ keys of the headers this propagator reads (`traceparent`, `tracestate`,
        `baggage` by default): a request with none of them starts a new trace, without asking
        each propagator to look."""
        self._textmap = textmap
        self._carried = frozenset(
            "HTTP_" + field.upper().replace("-", "_") for field in textmap.fields
        )


def trace_requests(
    app: Flask, *, tracer_provider: TracerProvider, meter_provider: MeterProvider
) -> None:
    """Wrap the app in ServerSpans (W3C traceparent honoured), recorded spans named by route.

    The WSGI middleware rather than the Flask instrumentation: that one runs the same
    middleware and then collects the request's attributes a second time in a before-request
    hook, its own cost on every request whether or not the span is sampled.
    """
    spans = ServerSpans(
        app.wsgi_app, tracer_provider=tracer_provider, meter_provider=meter_provider
    )
    # Its bound method: the interpreter calls that within its own loop, where an instance's
    # `__call__` takes a C-level call, and under gevent every wait copies the deeper C stack.
    app.wsgi_app = spans.__call__  # type: ignore[method-assign]
