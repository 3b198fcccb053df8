"""The current trace and span ids on every log record written while a span is active."""

from __future__ import annotations

import logging

from opentelemetry import trace


class TraceContextFilter(logging.Filter):
    """Adds `trace_id` and `span_id` (hex, as W3C traceparent spells them) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; annotate it when a valid span is current."""
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = format(context.trace_id, "032x")
            record.span_id = format(context.span_id, "016x")
        return True


def trace_id_now() -> str | None:
    """The current trace id in hex, or None outside any span."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
