"""Tracing, when the standard OTEL_* variables ask for it: the SDK, its OTLP/HTTP exporter and
the instrumentations of WSGI, SQLAlchemy, pymongo and redis, wired for one app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from opentelemetry import trace
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.instrumentation.sqlalchemy.version import __version__ as sqlalchemy_version
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from redis import Redis
from sqlalchemy import Engine, event

from adapters.sql.resource import SqlResource
from adapters.sql.unit_of_work import sql_units
from adapters.tracing.http_spans import TRACE_ID_KEY, trace_requests
from adapters.tracing.log_context import TraceContextFilter
from adapters.tracing.unsampled import by_sampling, plain_when_unsampled, unless_unsampled
from api.logging_setup import SERVICE_LOGGERS
from api.settings import Settings
from core.ports.unit_of_work import UnitOfWorkFactory

__all__ = ["TRACE_ID_KEY", "install_tracing"]
_NO_METERS = NoOpMeterProvider()


def otlp_exporter() -> SpanExporter:
    """The OTLP/HTTP exporter, configured by OTEL_EXPORTER_OTLP_* as the SDK documents."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def new_tracer_provider(exporter: SpanExporter, *, service_name: str) -> TracerProvider:
    """A provider exporting in batches; sampler and resource from OTEL_TRACES_SAMPLER(_ARG),
    OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, with `service_name` when neither names one."""
    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: service_name}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def install_tracing(app: Flask, provider: TracerProvider) -> None:
    """HTTP spans for this app (W3C traceparent honoured) and the trace id in its logs."""
    trace_requests(app, tracer_provider=provider, meter_provider=_NO_METERS)
    trace_filter = TraceContextFilter()
    for name in SERVICE_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(known, TraceContextFilter) for known in handler.filters):
                handler.addFilter(trace_filter)


def enabled_provider(
    settings: Settings, provide: Callable[[], TracerProvider]
) -> TracerProvider | None:
    """The tracer provider when the settings turn tracing on; else None, and none is built."""
    return provide() if settings.tracing else None


def traced_sql_units(
    engine: Engine,
    declared: Mapping[str, SqlResource[Any]] | None,
    provider: TracerProvider | None,
) -> UnitOfWorkFactory:
    """Units of work on the engine; with a provider, a span per statement of a traced unit.

    A unit of a request the sampler dropped runs on the engine itself, which has no listener;
    any other unit on an engine of its own that traces each statement (trace_sql).
    """
    untraced = sql_units(engine, declared)
    if provider is None:
        return untraced
    return by_sampling(traced=sql_units(trace_sql(engine, provider), declared), untraced=untraced)


def trace_sql(engine: Engine, provider: TracerProvider) -> Engine:
    """An engine sharing this one's pool whose statements each make a span.

    Its listeners are its own (`Engine.execution_options()` makes an engine whose events do not
    reach the one it was made from), so connections of `engine` pay for no event dispatch.
    SQLAlchemyInstrumentor().instrument(engine=...) works once per process (the instrumentor
    is a singleton), so each app's engine gets the instrumentation's own EngineTracer.
    """
    traced = engine.execution_options()
    tracer = provider.get_tracer("opentelemetry.instrumentation.sqlalchemy", sqlalchemy_version)
    usage = _NO_METERS.get_meter("hexapi").create_up_down_counter("db.client.connections.usage")
    engine_tracer = EngineTracer(tracer, traced, usage)  # type: ignore[no-untyped-call]
    # Its pool listeners only feed a connection-usage metric to a meter that records nothing
    # (the pool's gauges are the service's own): each was a dispatch per checkout and checkin.
    for name in ("connect", "close", "checkin", "checkout"):
        listener = getattr(engine_tracer, f"_pool_{name}")
        if event.contains(traced, name, listener):
            event.remove(traced, name, listener)
    # Its statement listener does its attribute work before the sampler can say no.
    before = engine_tracer._before_cur_exec
    event.remove(traced, "before_cursor_execute", before)
    event.listen(traced, "before_cursor_execute", unless_unsampled(before), retval=True)
    return traced


def trace_mongo(provider: TracerProvider) -> None:
    """A span per MongoDB command of the clients made from now on (once per process)."""
    instrumentor = PymongoInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=provider)


def trace_redis(client: Redis, provider: TracerProvider) -> None:
    """A span per command of this Redis client (sessions and the token deny-list), but none
    in a request the sampler dropped."""
    RedisInstrumentor.instrument_client(client, tracer_provider=provider)
    client.execute_command = plain_when_unsampled(client.execute_command)  # type: ignore[method-assign]


def tracer_of(provider: TracerProvider) -> trace.Tracer:
    """The tracer the service's own spans (one per use case) come from."""
    return provider.get_tracer("hexapi")
