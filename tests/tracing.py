"""Apps traced into the SDK's in-memory exporter, and how to read the spans back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dependency_injector import providers
from flask import Flask
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api import create_app
from api.app import build_container
from api.settings import load_settings


def traced_app(settings: Mapping[str, Any], exporter: InMemorySpanExporter) -> Flask:
    """An app with tracing switched on as OTEL_TRACES_EXPORTER=otlp would, exporting to memory."""
    return app_exporting_to({**settings, "OTEL_TRACES_EXPORTER": "otlp"}, exporter)


def app_exporting_to(settings: Mapping[str, Any], exporter: InMemorySpanExporter) -> Flask:
    """An app whose spans, if its settings turn tracing on, go to `exporter`."""
    container = build_container(load_settings(settings))
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    container.tracer_provider.override(providers.Object(provider))
    return create_app(settings, container=container)


def one_span(spans: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    """The one span of that name."""
    found = [span for span in spans if span.name == name]
    assert len(found) == 1, [span.name for span in spans]
    return found[0]


def parent_of(span: ReadableSpan, spans: Sequence[ReadableSpan]) -> ReadableSpan:
    """The span's parent among `spans`."""
    assert span.parent is not None, span.name
    parent_id = span.parent.span_id
    return next(s for s in spans if s.context is not None and s.context.span_id == parent_id)
