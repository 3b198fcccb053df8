"""The boundary reads and sets OpenTelemetry's current context through its variable itself.

It relies on the API's runtime context, its variable and the span's key (none of them public
API): a release that moves any of them fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.context.contextvars_context import ContextVarsRuntimeContext
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import NonRecordingSpan, SpanContext
from werkzeug.test import EnvironBuilder

from adapters.tracing.current_context import SPAN_KEY, context_variable, span_in
from adapters.tracing.http_spans import TRACE_ID_KEY, ServerSpans
from adapters.tracing.unsampled import DROPPED


def a_span() -> NonRecordingSpan:
    return NonRecordingSpan(SpanContext(0x1F, 0x2F, is_remote=False))


def test_the_variable_is_where_the_api_keeps_the_current_context() -> None:
    variable = context_variable()
    assert variable is not None
    span = a_span()
    token = variable.set(Context({SPAN_KEY: span}))
    try:
        assert trace.get_current_span() is span
        assert context.get_current() is variable.get()
    finally:
        variable.reset(token)
    assert trace.get_current_span() is trace.INVALID_SPAN
    attached = context.attach(trace.set_span_in_context(span))
    try:
        assert span_in(variable.get()) is span
    finally:
        context.detach(attached)


def test_the_span_key_is_the_one_set_span_in_context_writes() -> None:
    span = a_span()
    assert trace.set_span_in_context(span, Context()) == Context({SPAN_KEY: span})
    assert span_in(Context()) is None
    assert span_in(Context({SPAN_KEY: "not a span"})) is None


def test_under_another_runtime_context_only_the_api_knows_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(context, "_RUNTIME_CONTEXT", object())
    assert context_variable() is None


class ElsewhereRuntime(ContextVarsRuntimeContext):
    """Another runtime context: the boundary then goes through the API's functions."""


@pytest.mark.parametrize("runtime", [None, ElsewhereRuntime], ids=["contextvars", "another"])
def test_a_dropped_request_runs_under_its_span_and_leaves_none_behind(
    monkeypatch: pytest.MonkeyPatch, runtime: type[ContextVarsRuntimeContext] | None
) -> None:
    if runtime is not None:
        monkeypatch.setattr(context, "_RUNTIME_CONTEXT", runtime())
    seen: list[tuple[trace.Span, bool]] = []

    def app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.append((trace.get_current_span(), DROPPED.get()))
        start_response("200 OK", [])
        return [b"ok"]

    spans = ServerSpans(
        app, tracer_provider=TracerProvider(sampler=ALWAYS_OFF), meter_provider=NoOpMeterProvider()
    )
    environ = EnvironBuilder(path="/api/items/x").get_environ()
    assert spans(environ, lambda *_args: None) == [b"ok"]
    ((span, dropped),) = seen
    assert span.get_span_context().is_valid
    assert not span.is_recording()
    assert dropped
    assert environ[TRACE_ID_KEY] == format(span.get_span_context().trace_id, "032x")
    assert trace.get_current_span() is trace.INVALID_SPAN
    assert not DROPPED.get()
