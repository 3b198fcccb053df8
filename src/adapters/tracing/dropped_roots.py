"""The span of a new trace that the sampler is known to drop, made without asking it.

With `parentbased_traceidratio` at 0 (or `always_off`, `parentbased_always_off`) the SDK's
sampler drops every trace a request starts, whatever its id: the SDK still makes the ids and
then asks the sampler, its parent-based wrapper and its ratio rule in turn, each reading the
(empty) parent again. This makes the span the SDK ends with, a non-recording span of a new
trace id with the flags the SDK gives it, and only for samplers whose answer is known. It reads the
parent-based sampler's root rule (`ParentBased._root`, not public API): the SDK's range is
pinned and tests/unit/observability/test_dropped_roots.py fails if any of this changes.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable

from opentelemetry.context import Context
from opentelemetry.sdk.trace import Tracer
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased, Sampler, TraceIdRatioBased
from opentelemetry.trace import NonRecordingSpan, SpanContext
from opentelemetry.trace.span import DEFAULT_TRACE_STATE

# The SDK counts the spans it starts on a meter when this is on: then it starts each itself.
SDK_SPAN_METRICS = "OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED"


def drops_every_new_trace(sampler: Sampler) -> bool:
    """Whether the sampler drops a span that has no parent, whatever its trace id."""
    root = sampler._root if isinstance(sampler, ParentBased) else sampler
    if root is ALWAYS_OFF:
        return True
    return isinstance(root, TraceIdRatioBased) and root.bound == 0


def dropped_roots(tracer: object) -> Callable[[], tuple[NonRecordingSpan, int]] | None:
    """A maker of the span `tracer` would start for a new trace, when its sampler drops them all,
    and of its trace id (the boundary writes it down for the access line).

    None for any other tracer or sampler, or when the SDK counts its spans: those are started
    by the SDK as always.
    """
    if not isinstance(tracer, Tracer) or not drops_every_new_trace(tracer.sampler):
        return None
    if os.environ.get(SDK_SPAN_METRICS, "").strip().lower() == "true":
        return None
    # The flags the SDK gives such a span (not sampled; whether the id is random, W3C level 2),
    # from one it starts: the same for every new trace of this tracer.
    flags = tracer.start_span("hexapi.flags", Context()).get_span_context().trace_flags
    ids = tracer.id_generator
    new_trace_id, new_span_id = ids.generate_trace_id, ids.generate_span_id
    # The SDK's default generator draws `random.getrandbits` of 128 and 64 bits, again while
    # they come out 0 (not a valid id): drawn here, its methods asked only for a 0.
    random_ids = type(ids) is RandomIdGenerator
    bits = random.getrandbits
    new = tuple.__new__

    def dropped_root() -> tuple[NonRecordingSpan, int]:
        if random_ids:
            trace_id = bits(128) or new_trace_id()
            span_id = bits(64) or new_span_id()
        else:
            trace_id, span_id = new_trace_id(), new_span_id()
            if not (0 < trace_id < 1 << 128 and 0 < span_id < 1 << 64):
                # A configured generator's ids go through the API's own checks.
                context = SpanContext(trace_id, span_id, is_remote=False, trace_flags=flags)
                return NonRecordingSpan(context), trace_id
        # SpanContext(trace_id, span_id, is_remote=False, trace_flags=flags), ids known valid.
        context = new(SpanContext, (trace_id, span_id, False, flags, DEFAULT_TRACE_STATE, True))
        return NonRecordingSpan(context), trace_id

    return dropped_root
