"""Traces on the memory backend: HTTP span, use-case span, traceparent, ids in log lines."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import create_engine

from api.settings import SettingsError, load_settings
from api.tracing_setup import new_tracer_provider, trace_sql
from tests.helpers import app_settings
from tests.tracing import app_exporting_to, one_span, parent_of, traced_app

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def app(exporter: InMemorySpanExporter) -> Flask:
    return traced_app(app_settings(), exporter)


def test_a_use_case_span_is_the_child_of_the_http_span(
    app: Flask, exporter: InMemorySpanExporter
) -> None:
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    exporter.clear()
    assert client.post("/api/items", json={"title": "traced"}, headers=auth).status_code == 201
    spans = exporter.get_finished_spans()
    use_case = one_span(spans, "ItemService.create")
    http = parent_of(use_case, spans)
    assert http.name == "POST /api/items"
    assert http.attributes is not None
    assert http.parent is None


def test_an_incoming_traceparent_is_the_parent_of_the_request_span(
    app: Flask, exporter: InMemorySpanExporter
) -> None:
    app.test_client().get("/api/items", headers={"traceparent": f"00-{TRACE_ID}-{PARENT}-01"})
    spans = exporter.get_finished_spans()
    http = one_span(spans, "GET /api/items")
    assert http.context is not None and http.parent is not None
    assert format(http.context.trace_id, "032x") == TRACE_ID
    assert format(http.parent.span_id, "016x") == PARENT
    assert parent_of(one_span(spans, "ItemService.list"), spans) is http


def test_every_log_line_of_a_request_carries_its_trace_id(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    handler = logging.getLogger("api").handlers[0]
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(handler.format(record))

    keep = Keep()
    for trace_filter in handler.filters:
        keep.addFilter(trace_filter)
    logging.getLogger("api").addHandler(keep)
    try:
        app.test_client().get("/", headers={"traceparent": f"00-{TRACE_ID}-{PARENT}-01"})
    finally:
        logging.getLogger("api").removeHandler(keep)
    lines = [json.loads(line) for line in records]
    assert lines, caplog.text
    assert {line.get("trace_id") for line in lines} == {TRACE_ID}


def test_tracing_is_off_unless_the_otel_variables_ask_for_it(
    exporter: InMemorySpanExporter,
) -> None:
    for settings in ({}, {"OTEL_TRACES_EXPORTER": "none"}, {"OTEL_SDK_DISABLED": True}):
        app = app_exporting_to(app_settings(**settings), exporter)
        assert app.test_client().get("/api/items").status_code == 200
    assert exporter.get_finished_spans() == ()


@pytest.mark.parametrize(
    ("variables", "on"),
    [
        ({}, False),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"}, False),
    ],
)
def test_the_standard_variables_decide_whether_spans_are_recorded(
    variables: dict[str, str], on: bool
) -> None:
    assert load_settings(app_settings(**variables)).tracing is on


def test_an_exporter_protocol_other_than_http_protobuf_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="OTEL_EXPORTER_OTLP_PROTOCOL"):
        load_settings(app_settings(OTEL_EXPORTER_OTLP_PROTOCOL="grpc"))


def test_sql_tracing_leaves_the_pool_and_the_engine_it_was_given_without_listeners() -> None:
    engine = create_engine("sqlite://")
    traced = trace_sql(engine, TracerProvider())
    assert traced.pool is engine.pool
    assert len(traced.dispatch.before_cursor_execute) == 1
    assert len(engine.dispatch.before_cursor_execute) == 0
    assert not engine._has_events
    assert (len(engine.pool.dispatch.checkout), len(engine.pool.dispatch.checkin)) == (0, 0)


def test_spans_name_the_service_by_its_issuer_unless_the_otel_variables_name_it() -> None:
    provider = new_tracer_provider(InMemorySpanExporter(), service_name="shop")
    assert provider.resource.attributes["service.name"] == "shop"
