"""Whether the current work belongs to a trace the sampler dropped, and skipping span work there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opentelemetry import trace


def in_unsampled_trace() -> bool:
    """A span is current (so a trace exists) but records nothing: neither would its children."""
    span = trace.get_current_span()
    return span.get_span_context().is_valid and not span.is_recording()


def unless_unsampled(
    before_cursor_execute: Callable[..., tuple[Any, Any]],
) -> Callable[..., tuple[Any, Any]]:
    """A SQLAlchemy `before_cursor_execute` listener (retval=True) skipped in an unsampled trace.

    The SQLAlchemy instrumentation reads the URL, the cursor's database name and the statement's
    first word before it asks for a span, which the sampler then drops.
    Statements outside any request (migrations, the CLI) still start traces of their own.
    """

    def listener(
        conn: Any, cursor: Any, statement: Any, parameters: Any, context: Any, executemany: bool
    ) -> tuple[Any, Any]:
        if in_unsampled_trace():
            return statement, parameters
        return before_cursor_execute(conn, cursor, statement, parameters, context, executemany)

    return listener
