"""Storage: the backend `STORAGE_BACKEND` names, its unit of work (metered) and its check."""

from __future__ import annotations

from functools import partial

from dependency_injector import containers, providers
from opentelemetry.sdk.trace import TracerProvider

from adapters.memory.health import ping_store
from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import in_memory_units
from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.storage import metered_units
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import mongo_units
from adapters.sql.database import open_sql_database
from api.resource import (
    Catalogue,
    memory_declarations,
    mongo_collections,
    mongo_declarations,
    sql_declarations,
)
from api.settings import Settings
from api.tracing_setup import traced_sql_units


class StorageContainer(containers.DeclarativeContainer):
    """The SQL database, the Mongo storage or the in-memory store, and units of work over it."""

    settings = providers.Dependency(instance_of=Settings)
    metrics: providers.Dependency[ServiceMetrics | None] = providers.Dependency()
    catalogue: providers.Dependency[Catalogue] = providers.Dependency()
    # None when tracing is off; SQL statements are then never traced.
    tracing: providers.Dependency[TracerProvider | None] = providers.Dependency()

    sql_database = providers.Singleton(
        open_sql_database,
        url=settings.provided.database_url.call(),
        pool=settings.provided.pool.call(),
    )
    memory_store = providers.Singleton(InMemoryStore)
    # Its client is created on first use: building the container connects to nothing.
    mongo_storage = providers.Singleton(
        MongoStorage,
        uri=settings.provided.MONGODB_URI,
        database=settings.provided.MONGODB_DATABASE,
        timeout_ms=settings.provided.MONGODB_TIMEOUT_MS,
        declared=providers.Callable(mongo_collections, catalogue),
    )

    # The backend's UnitOfWorkFactory; each `*_units` is typed, so mypy checks its registry.
    unit_of_work = providers.Selector(
        settings.provided.STORAGE_BACKEND,
        sql=providers.Singleton(
            traced_sql_units,
            sql_database.provided.engine,
            providers.Callable(sql_declarations, catalogue),
            tracing,
        ),
        mongo=providers.Singleton(
            mongo_units, mongo_storage, providers.Callable(mongo_declarations, catalogue)
        ),
        memory=providers.Singleton(
            in_memory_units, memory_store, providers.Callable(memory_declarations, catalogue)
        ),
    )
    units = providers.Singleton(
        metered_units, unit_of_work, metrics, settings.provided.STORAGE_BACKEND
    )
    storage_check = providers.Selector(
        settings.provided.STORAGE_BACKEND,
        sql=sql_database.provided.ping,
        mongo=mongo_storage.provided.ping,
        memory=providers.Callable(partial, ping_store, memory_store),
    )
