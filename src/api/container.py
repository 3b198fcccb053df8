"""The root container: one per layer (storage, auth, services, HTTP), wired from the settings.

`settings` is the one configuration source; each layer reads it. The root also names every
provider the app, the CLI and tests reach (`container.item_service`, `container.sql_database`,
...): each is the layer's own provider, so overriding it here overrides it in its layer.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from adapters.system.clock import SystemClock
from adapters.system.ids import TimeOrderedIds
from api.catalogue import RESOURCES
from api.containers.auth import AuthContainer
from api.containers.http import HttpContainer
from api.containers.services import ServicesContainer
from api.containers.storage import StorageContainer
from api.metrics_setup import service_metrics
from api.settings import Settings
from api.tracing_setup import enabled_provider, new_tracer_provider, otlp_exporter


class Container(containers.DeclarativeContainer):
    """Ports and services; `STORAGE_BACKEND` and `SESSION_TYPE` select the adapters."""

    settings = providers.Dependency(instance_of=Settings)

    # None when METRICS_ENABLED is off; each wrapper below is then the bare adapter.
    metrics = providers.Singleton(service_metrics, settings)
    # Built only when tracing is on (Settings.tracing); tests override either.
    span_exporter = providers.Singleton(otlp_exporter)
    tracer_provider = providers.Singleton(
        new_tracer_provider, span_exporter, service_name=settings.provided.TOKEN_ISSUER
    )
    tracing = providers.Callable(enabled_provider, settings, tracer_provider.provider)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(TimeOrderedIds)
    # The declared resources (api/catalogue.py); tests override it with resources of their own.
    catalogue = providers.Object(RESOURCES)

    storage = providers.Container(
        StorageContainer,
        settings=settings,
        metrics=metrics,
        catalogue=catalogue,
        tracing=tracing,
    )
    auth = providers.Container(
        AuthContainer,
        settings=settings,
        metrics=metrics,
        clock=clock,
        mongo_storage=storage.mongo_storage,
    )
    services = providers.Container(
        ServicesContainer,
        settings=settings,
        units=storage.units,
        clock=clock,
        ids=ids,
        token_service=auth.token_service,
        revocations=auth.revocations,
        password_hasher=auth.password_hasher,
        password_policy=auth.password_policy,
        catalogue=catalogue,
    )
    http = providers.Container(
        HttpContainer,
        storage_check=storage.storage_check,
        session_cache=auth.session_cache,
        catalogue=catalogue,
    )

    sql_database = storage.sql_database
    memory_store = storage.memory_store
    mongo_storage = storage.mongo_storage
    unit_of_work = storage.unit_of_work
    units = storage.units
    storage_check = storage.storage_check

    redis = auth.redis
    session_cache = auth.session_cache
    revocation_cache = auth.revocation_cache
    revocations = auth.revocations
    idempotency_cache = auth.idempotency_cache
    token_keys = auth.token_keys
    token_service = auth.token_service
    password_hasher = auth.password_hasher
    password_policy = auth.password_policy

    item_service = services.item_service
    auth_service = services.auth_service
    user_service = services.user_service
    login_service = services.login_service
    resource_services = services.resource_services

    resources = http.resources
    readiness_checks = http.readiness_checks
