"""Metrics and traces for one app, each installed only when its settings turn it on."""

from __future__ import annotations

from flask import Flask

from adapters.http.services import EXTENSION_KEY
from api.container import Container
from api.metrics_setup import install_metrics
from api.observed_services import ObservedServices
from api.settings import SessionStore, Settings, StorageBackend
from api.tracing_setup import install_tracing, trace_mongo, trace_redis, tracer_of


def install_observability(app: Flask, container: Container, settings: Settings) -> None:
    """Request metrics and pool gauges; with tracing on, spans from HTTP down to storage."""
    metrics = container.metrics()
    sql = settings.STORAGE_BACKEND is StorageBackend.SQL
    if metrics is not None:
        install_metrics(app, metrics, container.sql_database() if sql else None)
    tracer = None
    if settings.tracing:
        provider = container.tracer_provider()
        # SQL statements are traced by the units of work (api/containers/storage.py).
        install_tracing(app, provider)
        if StorageBackend.MONGO is settings.STORAGE_BACKEND or (
            settings.SESSION_TYPE is SessionStore.MONGODB
        ):
            trace_mongo(provider)
        if settings.SESSION_TYPE is SessionStore.REDIS:
            trace_redis(container.redis(), provider)
        tracer = tracer_of(provider)
    if metrics is not None or tracer is not None:
        app.extensions[EXTENSION_KEY] = ObservedServices(container, tracer=tracer, metrics=metrics)
