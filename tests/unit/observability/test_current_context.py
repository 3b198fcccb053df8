"""The boundary reads and sets OpenTelemetry's current context through its variable itself.

It relies on the API's runtime context, its variable and the span's key (none of them public
API): a release that moves any of them fails here.
"""

from __future__ import annotations

import pytest
from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.trace import NonRecordingSpan, SpanContext

from adapters.tracing.current_context import SPAN_KEY, context_variable, span_in


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
