"""Apps traced into the SDK's in-memory exporter, and how to read the spans back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dependency_injector import providers
from flask import Flask
from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import Sampler

from api import create_app
from api.app import build_container
from api.settings import load_settings


def traced_app(
    settings: Mapping[str, Any],
    exporter: SpanExporter,
    *,
    sampler: Sampler | None = None,
    processor: SpanProcessor | None = None,
) -> Flask:
    """An app with tracing switched on as OTEL_TRACES_EXPORTER=otlp would, exporting to memory."""
    return app_exporting_to(
        {**settings, "OTEL_TRACES_EXPORTER": "otlp"}, exporter, sampler=sampler, processor=processor
    )


def app_exporting_to(
    settings: Mapping[str, Any],
    exporter: SpanExporter,
    *,
    sampler: Sampler | None = None,
    processor: SpanProcessor | None = None,
) -> Flask:
    """An app whose spans, if its settings turn tracing on, go to `exporter` (and `processor`)."""
    container = build_container(load_settings(settings))
    provider = TracerProvider(sampler=sampler)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    if processor is not None:
        provider.add_span_processor(processor)
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


class CountingExporter(SpanExporter):
    """Keeps every batch it is asked to export, so a test can say it was never asked."""

    def __init__(self) -> None:
        self.batches: list[Sequence[ReadableSpan]] = []

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.batches.append(spans)
        return SpanExportResult.SUCCESS


class StartedSpans(SpanProcessor):
    """Records each span the SDK starts (the sampler kept it), ended or not."""

    def __init__(self) -> None:
        self.started: list[Span] = []

    # The SDK passes parent_context by name: the parameter keeps it.
    def on_start(self, span: Span, parent_context: Context | None = None) -> None:  # noqa: ARG002
        self.started.append(span)
