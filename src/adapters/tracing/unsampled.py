"""Whether the current work belongs to a trace the sampler dropped, and skipping span work there."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from opentelemetry import trace

from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

# Set by the server-span boundary for a request its sampler dropped: one lookup answers every
# later question of that request (use cases, units of work), where reading the current span
# takes several calls each time.
DROPPED: ContextVar[bool] = ContextVar("hexapi.dropped", default=False)


def in_unsampled_trace() -> bool:
    """A span is current (so a trace exists) but records nothing: neither would its children."""
    if DROPPED.get():
        return True
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


def plain_when_unsampled(traced: Callable[..., Any]) -> Callable[..., Any]:
    """`traced` (a function an instrumentation wrapped), called unwrapped in an unsampled trace.

    The Redis instrumentation names the command, reads the connection's address and opens a
    span, which the sampler drops, before each command: in a dropped request the command is
    sent as the client itself sends it. `__wrapped__` is wrapt's, the wrappers' library.
    """
    plain: Callable[..., Any] = traced.__wrapped__  # type: ignore[attr-defined]

    def call(*args: Any, **kwargs: Any) -> Any:
        if in_unsampled_trace():
            return plain(*args, **kwargs)
        return traced(*args, **kwargs)

    return call


def by_sampling(*, traced: UnitOfWorkFactory, untraced: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Units of work from `untraced` in an unsampled trace, from `traced` anywhere else.

    Decided once per unit rather than once per statement: SQLAlchemy dispatches the execution
    events of every statement on a connection whose engine has any listener, so a dropped
    request's units take their connections from an engine that has none.
    """

    def unit(*, read_only: bool = False) -> UnitOfWork:
        chosen = untraced if DROPPED.get() or in_unsampled_trace() else traced
        return chosen(read_only=read_only)

    return unit
