"""New traces a sampler is known to drop: their spans, made without it, are the SDK's own.

The knowledge comes from the SDK's samplers (the parent-based one's root rule is not public
API): a release that changes them, or what its tracer makes of a dropped new trace, fails here.
"""

from __future__ import annotations

import random

import pytest
from opentelemetry.context import Context
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    Decision,
    ParentBased,
    ParentBasedTraceIdRatio,
    Sampler,
    TraceIdRatioBased,
)
from opentelemetry.trace import SpanContext, SpanKind

from adapters.tracing.dropped_roots import SDK_SPAN_METRICS, dropped_roots

DROPPING = {
    "parentbased_traceidratio 0": ParentBasedTraceIdRatio(0),
    "parentbased_always_off": ParentBased(ALWAYS_OFF),
    "always_off": ALWAYS_OFF,
    "traceidratio 0": TraceIdRatioBased(0),
}
KEEPING = {
    "parentbased_traceidratio 0.5": ParentBasedTraceIdRatio(0.5),
    "traceidratio 1e-9": TraceIdRatioBased(1e-9),
    "parentbased_always_on": ParentBased(ALWAYS_ON),
    "always_on": ALWAYS_ON,
}


@pytest.mark.parametrize("sampler", DROPPING.values(), ids=DROPPING.keys())
def test_a_dropped_new_trace_is_the_span_the_sdk_would_start(sampler: Sampler) -> None:
    tracer = TracerProvider(sampler=sampler).get_tracer("test")
    make = dropped_roots(tracer)
    assert make is not None
    theirs = tracer.start_span("GET", Context(), SpanKind.SERVER)
    ours, trace_id = make()
    assert not theirs.is_recording()
    assert not ours.is_recording()
    mine, sdks = ours.get_span_context(), theirs.get_span_context()
    assert mine.is_valid
    assert mine.is_remote is sdks.is_remote is False
    assert mine.trace_flags == sdks.trace_flags
    assert not mine.trace_flags.sampled
    assert mine.trace_state == sdks.trace_state
    assert mine.trace_id != sdks.trace_id
    assert trace_id == mine.trace_id
    # Built without the API's constructor: field for field what that constructor makes.
    assert type(mine) is SpanContext
    assert mine == SpanContext(
        mine.trace_id, mine.span_id, is_remote=False, trace_flags=sdks.trace_flags
    )
    # And the sampler, asked, would have dropped that very trace id.
    asked = sampler.should_sample(None, mine.trace_id, "GET", SpanKind.SERVER)
    assert asked.decision is Decision.DROP


@pytest.mark.parametrize("sampler", KEEPING.values(), ids=KEEPING.keys())
def test_a_sampler_that_may_record_a_new_trace_is_always_asked(sampler: Sampler) -> None:
    assert dropped_roots(TracerProvider(sampler=sampler).get_tracer("test")) is None


def test_the_sdk_starts_every_span_itself_when_it_counts_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SDK_SPAN_METRICS, "true")
    tracer = TracerProvider(sampler=ParentBasedTraceIdRatio(0)).get_tracer("test")
    assert dropped_roots(tracer) is None


def test_a_configured_id_generator_makes_the_ids_of_a_dropped_new_trace() -> None:
    class Counting(RandomIdGenerator):
        def __init__(self) -> None:
            self.made = iter(range(7, 100))

        def generate_trace_id(self) -> int:
            return next(self.made)

        def generate_span_id(self) -> int:
            return next(self.made)

    tracer = TracerProvider(sampler=ALWAYS_OFF, id_generator=Counting()).get_tracer("test")
    make = dropped_roots(tracer)
    assert make is not None
    span, trace_id = make()
    assert trace_id >= 7
    assert span.get_span_context().span_id == trace_id + 1
    assert span.get_span_context().is_valid


def test_a_configured_generators_invalid_ids_make_an_invalid_span_as_the_api_would() -> None:
    class Zeros(RandomIdGenerator):
        def generate_trace_id(self) -> int:
            return 0

    tracer = TracerProvider(sampler=ALWAYS_OFF, id_generator=Zeros()).get_tracer("test")
    make = dropped_roots(tracer)
    assert make is not None
    span, trace_id = make()
    assert trace_id == 0
    assert not span.get_span_context().is_valid


def test_the_default_id_generator_is_the_random_module(monkeypatch: pytest.MonkeyPatch) -> None:
    provider = TracerProvider(sampler=ALWAYS_OFF)
    assert type(provider.id_generator) is RandomIdGenerator
    tracer = provider.get_tracer("test")
    drawn: list[int] = []
    monkeypatch.setattr(random, "getrandbits", lambda _bits: drawn.pop(0) if drawn else 3)
    make = dropped_roots(tracer)
    assert make is not None
    # What the SDK's own generator draws: a 0 is drawn again, never an id.
    drawn[:] = [0, 0, 5]
    assert RandomIdGenerator().generate_trace_id() == 5
    drawn[:] = [0, 0, 5, 0, 0, 6]
    span, trace_id = make()
    assert (trace_id, span.get_span_context().span_id) == (5, 6)
    assert drawn == []
