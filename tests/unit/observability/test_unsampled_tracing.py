"""Sampled once at the WSGI boundary: a dropped request makes no span, a sampled parent records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from flask import Flask, jsonify
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.propagators.textmap import Getter, TextMapPropagator, default_getter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, TraceIdRatioBased
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, TraceFlags
from sqlalchemy import create_engine, text
from werkzeug.test import EnvironBuilder

from adapters.tracing.http_spans import ServerSpans
from adapters.tracing.unsampled import DROPPED, by_sampling, in_unsampled_trace
from api.tracing_setup import trace_sql
from tests.helpers import app_settings
from tests.tracing import CountingExporter, StartedSpans, one_span, parent_of, traced_app

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
NONE_SAMPLED = ParentBased(TraceIdRatioBased(0))


def with_downstream_view(app: Flask) -> Flask:
    """The app plus a view answering the headers a downstream call made from it would carry."""

    def downstream() -> Any:
        headers: dict[str, str] = {}
        propagate.inject(headers)
        return jsonify(headers)

    app.add_url_rule("/downstream", view_func=downstream)
    return app


def created_with_token(app: Flask, **headers: str) -> int:
    """POST one item as a fresh anonymous user; the status."""
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    answer = client.post("/api/items", json={"title": "sampled?"}, headers=auth | headers)
    return answer.status_code


def test_an_unsampled_request_starts_no_span_and_calls_no_exporter() -> None:
    exporter, started = CountingExporter(), StartedSpans()
    app = traced_app(app_settings(), exporter, sampler=NONE_SAMPLED, processor=started)
    assert created_with_token(app) == 201
    assert app.test_client().get("/api/items").status_code == 200
    assert started.started == []
    assert exporter.batches == []


def test_a_sampled_traceparent_is_recorded_though_the_sampler_drops_every_new_trace() -> None:
    exporter = InMemorySpanExporter()
    app = traced_app(app_settings(), exporter, sampler=NONE_SAMPLED)
    assert created_with_token(app, traceparent=f"00-{TRACE_ID}-{PARENT}-01") == 201
    spans = exporter.get_finished_spans()
    http = parent_of(one_span(spans, "ItemService.create"), spans)
    assert http.name == "POST /api/items"
    assert http.kind is SpanKind.SERVER
    assert http.parent is not None and format(http.parent.span_id, "016x") == PARENT
    assert {format(span.context.trace_id, "032x") for span in spans if span.context} == {TRACE_ID}


@pytest.mark.parametrize("flags", ["00", "01"])
def test_a_call_made_downstream_carries_the_callers_trace_and_sampled_flag(flags: str) -> None:
    app = with_downstream_view(traced_app(app_settings(), InMemorySpanExporter()))
    headers = {"traceparent": f"00-{TRACE_ID}-{PARENT}-{flags}"}
    sent = app.test_client().get("/downstream", headers=headers).get_json()
    version, trace_id, span_id, sent_flags = sent["traceparent"].split("-")
    assert (version, trace_id, sent_flags) == ("00", TRACE_ID, flags)
    assert span_id != PARENT


def test_a_trace_the_sampler_drops_is_passed_downstream_as_not_sampled() -> None:
    app = with_downstream_view(traced_app(app_settings(), CountingExporter(), sampler=NONE_SAMPLED))
    sent = app.test_client().get("/downstream").get_json()
    flags = int(sent["traceparent"].rsplit("-", 1)[1], 16)
    assert flags & TraceFlags.SAMPLED == 0


def test_a_recorded_server_span_keeps_the_wsgi_instrumentations_attributes() -> None:
    exporter = InMemorySpanExporter()
    app = traced_app(app_settings(), exporter, sampler=ALWAYS_ON)
    assert app.test_client().get("/api/items?limit=1").status_code == 200
    (http,) = [span for span in exporter.get_finished_spans() if span.kind is SpanKind.SERVER]
    attributes = dict(http.attributes or {})
    assert http.name == "GET /api/items"
    assert http.instrumentation_scope is not None
    assert http.instrumentation_scope.name == "opentelemetry.instrumentation.wsgi"
    assert attributes["http.method"] == "GET"
    assert attributes["http.status_code"] == 200
    assert attributes["http.route"] == "/api/items"
    assert attributes["http.target"] == "/api/items?limit=1"


def test_the_boundary_marks_a_dropped_request_for_as_long_as_it_runs() -> None:
    seen: list[bool] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(in_unsampled_trace())
        return hello(environ, start_response)

    for sampler in (NONE_SAMPLED, ALWAYS_ON):
        provider = TracerProvider(sampler=sampler)
        spans = ServerSpans(app, tracer_provider=provider, meter_provider=NoOpMeterProvider())
        body = spans(EnvironBuilder(path="/hello").get_environ(), lambda *_args: None)
        getattr(body, "close", lambda: None)()
        assert DROPPED.get() is False
    assert seen == [True, False]


class OneHeader(TextMapPropagator):
    """Reads a sampled caller's trace id from `x-trace`, as a propagator other than W3C's would."""

    def extract(
        self,
        carrier: Any,
        context: Context | None = None,
        getter: Getter[Any] = default_getter,
    ) -> Context:
        found = getter.get(carrier, "x-trace")
        if not found:
            return context or Context()
        sampled = TraceFlags(TraceFlags.SAMPLED)
        caller = SpanContext(int(found[0], 16), int(PARENT, 16), True, sampled)
        return trace.set_span_in_context(NonRecordingSpan(caller), context)

    def inject(self, carrier: Any, context: Context | None = None, setter: Any = None) -> None:
        """Never asked to here."""

    @property
    def fields(self) -> set[str]:
        return {"x-trace"}


def test_the_boundary_reads_the_headers_of_whichever_propagator_is_set() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=NONE_SAMPLED)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    spans = ServerSpans(hello, tracer_provider=provider, meter_provider=NoOpMeterProvider())
    default = propagate.get_global_textmap()
    propagate.set_global_textmap(OneHeader())
    try:
        for headers in ({"traceparent": f"00-{TRACE_ID}-{PARENT}-01"}, {"X-Trace": TRACE_ID}):
            environ = EnvironBuilder(path="/hello", headers=headers).get_environ()
            body = spans(environ, lambda *_args: None)
            assert b"".join(body) == b"hello"
            getattr(body, "close", lambda: None)()
    finally:
        propagate.set_global_textmap(default)
    (span,) = exporter.get_finished_spans()
    assert span.context is not None and format(span.context.trace_id, "032x") == TRACE_ID


def test_units_of_work_of_a_dropped_trace_come_from_the_untraced_factory() -> None:
    opened: list[tuple[str, bool]] = []

    def factory(name: str) -> Any:
        return lambda *, read_only=False: opened.append((name, read_only))

    unit = by_sampling(traced=factory("traced"), untraced=factory("untraced"))
    provider = TracerProvider(sampler=ALWAYS_ON)
    dropped = NonRecordingSpan(
        SpanContext(int(TRACE_ID, 16), int(PARENT, 16), False, TraceFlags(TraceFlags.DEFAULT))
    )
    with trace.use_span(dropped):
        unit(read_only=True)
    with provider.get_tracer("test").start_as_current_span("recorded"):
        unit()
    unit()
    assert opened == [("untraced", True), ("traced", False), ("traced", False)]


def hello(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_opentelemetrys_middleware_records_the_span_sampled_at_the_boundary() -> None:
    # Pins the WSGI instrumentation's internals ServerSpans relies on: it takes its tracer from
    # the provider it is given and starts its one span with that tracer's `start_span`.
    exporter, started = InMemorySpanExporter(), StartedSpans()
    provider = TracerProvider(sampler=ALWAYS_ON)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    provider.add_span_processor(started)
    spans = ServerSpans(hello, tracer_provider=provider, meter_provider=NoOpMeterProvider())
    environ = EnvironBuilder(path="/hello").get_environ()
    body = spans(environ, lambda *_args: None)
    assert b"".join(body) == b"hello"
    getattr(body, "close", lambda: None)()
    (span,) = exporter.get_finished_spans()
    assert len(started.started) == 1
    assert span.context is not None and started.started[0].context == span.context
    assert span.kind is SpanKind.SERVER
    assert dict(span.attributes or {})["http.status_code"] == 200


def test_sql_in_an_unsampled_trace_makes_no_span_but_a_statement_outside_any_trace_does() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ALWAYS_ON)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    engine = trace_sql(create_engine("sqlite://"), provider)
    dropped = NonRecordingSpan(
        SpanContext(int(TRACE_ID, 16), int(PARENT, 16), False, TraceFlags(TraceFlags.DEFAULT))
    )
    with engine.connect() as connection:
        with trace.use_span(dropped):
            connection.execute(text("SELECT 1"))
        assert exporter.get_finished_spans() == ()
        with provider.get_tracer("test").start_as_current_span("recorded"):
            connection.execute(text("SELECT 2"))
        connection.execute(text("SELECT 3"))
    spans = exporter.get_finished_spans()
    recorded = one_span(spans, "recorded")
    selects = [span for span in spans if span.name.startswith("SELECT")]
    assert len(selects) == 2
    assert parent_of(selects[0], spans) is recorded
    assert selects[1].parent is None
    engine.dispose()
