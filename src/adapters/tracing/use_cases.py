"""A span around each call of a use case, made outside the core, which knows nothing of it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from opentelemetry.trace import SpanKind, Tracer

from adapters.tracing.unsampled import DROPPED, in_unsampled_trace


class TracedUseCases:
    """Stands for a service: each public method call runs in a span `Service.method`."""

    def __init__(self, service: object, tracer: Tracer) -> None:
        self._service = service
        self._tracer = tracer
        self._kind = type(service).__name__

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._service, name)
        if name.startswith("_") or not callable(target):
            return target
        traced = self._traced(f"{self._kind}.{name}", target)
        # The service lives as long as the app: wrap each method once, not on every call.
        setattr(self, name, traced)
        return traced

    def _traced(self, span_name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        tracer = self._tracer

        @wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            # The mark first: in a dropped request, the one lookup without a call.
            if DROPPED.get() or in_unsampled_trace():
                # The request was not sampled, so neither would its children be.
                return method(*args, **kwargs)
            with tracer.start_as_current_span(span_name, kind=SpanKind.INTERNAL):
                return method(*args, **kwargs)

        return call
