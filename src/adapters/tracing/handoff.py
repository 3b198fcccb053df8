"""A tracer provider that hands a span already started elsewhere to the instrumentation asking."""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

from opentelemetry.context import Context
from opentelemetry.trace import Link, Span, SpanKind, Tracer, TracerProvider
from opentelemetry.util.types import Attributes


class HandOff(TracerProvider):
    """Gives out tracers whose next `start_span` in this context returns the span `pending` holds.

    Lets the server-span boundary take the sampling decision itself, once, and still leave
    every recorded span to OpenTelemetry's WSGI middleware: its attributes, response status
    and ending after the body. The middleware asks its provider for a tracer when built.
    """

    def __init__(self, provider: TracerProvider) -> None:
        self._provider = provider
        self.pending: ContextVar[Span | None] = ContextVar("hexapi.pending_span", default=None)
        self.tracers: list[Tracer] = []

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes | None = None,
    ) -> Tracer:
        """The provider's own tracer of that scope, behind one that hands over the pending span."""
        real = self._provider.get_tracer(
            instrumenting_module_name, instrumenting_library_version, schema_url, attributes
        )
        self.tracers.append(real)
        return HandingTracer(real, self.pending)


class HandingTracer(Tracer):
    """`start_span` returns the pending span (with the attributes asked for) when there is one."""

    def __init__(self, tracer: Tracer, pending: ContextVar[Span | None]) -> None:
        self._tracer = tracer
        self._pending = pending

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> Span:
        """The pending span, taken once (named and given attributes as asked); else a new span."""
        span = self._pending.get()
        if span is None:
            return self._tracer.start_span(
                name,
                context,
                kind,
                attributes,
                links,
                start_time,
                record_exception,
                set_status_on_exception,
            )
        self._pending.set(None)
        span.update_name(name)
        if attributes:
            span.set_attributes(attributes)
        return span

    def start_as_current_span(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """A span of the tracer behind, current while the block runs (never the pending one)."""
        return self._tracer.start_as_current_span(name, *args, **kwargs)
