"""Storage: the backend `STORAGE_BACKEND` names, its unit of work (metered) and its check."""

from __future__ import annotations

from functools import partial

from dependency_injector import containers, providers

from adapters.memory.health import ping_store
from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.storage import metered_units
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from adapters.sql.database import open_sql_database
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from api.settings import Settings


class StorageContainer(containers.DeclarativeContainer):
    """The SQL database, the Mongo storage or the in-memory store, and units of work over it."""

    settings = providers.Dependency(instance_of=Settings)
    metrics: providers.Dependency[ServiceMetrics | None] = providers.Dependency()

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
    )

    unit_of_work = providers.Selector(
        settings.provided.STORAGE_BACKEND,
        sql=providers.Factory(SqlAlchemyUnitOfWork, engine=sql_database.provided.engine),
        mongo=providers.Factory(MongoUnitOfWork, storage=mongo_storage),
        memory=providers.Factory(InMemoryUnitOfWork, store=memory_store),
    )
    units = providers.Singleton(
        metered_units, unit_of_work.provider, metrics, settings.provided.STORAGE_BACKEND
    )
    storage_check = providers.Selector(
        settings.provided.STORAGE_BACKEND,
        sql=sql_database.provided.ping,
        mongo=mongo_storage.provided.ping,
        memory=providers.Callable(partial, ping_store, memory_store),
    )
