"""OpenTelemetry's current context read and set through its context variable itself.

`context.get_current`, `attach` and `detach` each go through two Python calls to reach one
`ContextVar` (the runtime context the API picked, then its method); the server-span boundary
uses all three on every request. With the API's default runtime context (`contextvars`) this
hands out that very variable, so the boundary reads, sets and resets it as the API would, and
`trace.get_current_span()` anywhere else sees the same context. It relies on the API's
`_RUNTIME_CONTEXT`, `ContextVarsRuntimeContext._current_context` and the span's key
`_SPAN_KEY`: the API's range is pinned and tests/unit/observability/test_current_context.py
fails if any of them changes.
"""

from __future__ import annotations

from contextvars import ContextVar

from opentelemetry import context
from opentelemetry.context import Context
from opentelemetry.context.contextvars_context import ContextVarsRuntimeContext
from opentelemetry.trace import Span
from opentelemetry.trace.propagation import _SPAN_KEY

__all__ = ["SPAN_KEY", "context_variable", "span_in"]

SPAN_KEY = _SPAN_KEY


def context_variable() -> ContextVar[Context] | None:
    """The variable holding the current context, or None under another runtime context.

    `OTEL_PYTHON_CONTEXT` can name another implementation: then only the API's functions know
    where the context lives.
    """
    runtime = context._RUNTIME_CONTEXT  # noqa: SLF001
    if type(runtime) is not ContextVarsRuntimeContext:
        return None
    variable: ContextVar[Context] = runtime._current_context  # noqa: SLF001
    return variable


def span_in(current: Context) -> Span | None:
    """The span `current` holds, as `trace.get_current_span` finds it; None for none or invalid."""
    span = current.get(SPAN_KEY)
    # Most requests find none: no isinstance against the Span ABC, which runs Python code.
    if span is None:
        return None
    return span if isinstance(span, Span) else None
