"""The dependency-injector container: each port declared once, its adapter picked by settings."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

from dependency_injector import containers, providers

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.passwords import Argon2PasswordHasher
from adapters.auth.revocations import CachelibRevocationList
from adapters.memory.health import ping_store
from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import in_memory_units
from adapters.metrics.storage import metered_units
from adapters.metrics.tokens import metered_tokens
from adapters.mongo.session_cache import REVOKED_TOKENS, SESSIONS, MongoSessionCache
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import mongo_units
from adapters.session_store.caches import UNBOUNDED, file_cache, memory_cache, ping_cache
from adapters.session_store.redis_cache import (
    REVOCATION_PREFIX,
    SESSION_PREFIX,
    RedisStoreCache,
    redis_client,
)
from adapters.sql.database import open_sql_database
from adapters.sql.unit_of_work import sql_units
from adapters.system.clock import SystemClock
from adapters.system.ids import TimeOrderedIds
from api.metrics_setup import service_metrics
from api.secrets_store import load_keys
from api.settings import Settings
from api.tracing_setup import new_tracer_provider, otlp_exporter
from core.services.auth import AuthService
from core.services.items import ItemService
from core.services.logins import LoginService
from core.services.passwords import PasswordPolicy
from core.services.users import UserService


def session_dir(settings: Settings) -> Path:
    """SESSION_FILE_DIR, or `sessions/` in the instance folder."""
    return settings.SESSION_FILE_DIR or settings.INSTANCE_PATH / "sessions"


def revocation_dir(settings: Settings) -> Path:
    """`revoked_tokens/` beside the session folder, so session eviction never touches it."""
    return session_dir(settings).parent / "revoked_tokens"


class Container(containers.DeclarativeContainer):
    """Ports and services; `STORAGE_BACKEND` and `SESSION_TYPE` select the adapters."""

    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration(strict=True)

    # None when METRICS_ENABLED is off; each wrapper below is then the bare adapter.
    metrics = providers.Singleton(service_metrics, settings)
    # Built only when tracing is on (Settings.tracing); tests override either.
    span_exporter = providers.Singleton(otlp_exporter)
    tracer_provider = providers.Singleton(
        new_tracer_provider, span_exporter, service_name=config.TOKEN_ISSUER
    )

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(TimeOrderedIds)

    sql_database = providers.Singleton(
        open_sql_database,
        url=providers.Callable(Settings.database_url, settings),
        pool=providers.Callable(Settings.pool, settings),
    )
    memory_store = providers.Singleton(InMemoryStore)
    # Its client is created on first use: building the container connects to nothing.
    mongo_storage = providers.Singleton(
        MongoStorage,
        uri=config.MONGODB_URI,
        database=config.MONGODB_DATABASE,
        timeout_ms=config.MONGODB_TIMEOUT_MS,
    )

    # The backend's UnitOfWorkFactory; each `*_units` is typed, so mypy checks its registry.
    unit_of_work = providers.Selector(
        config.STORAGE_BACKEND,
        sql=providers.Singleton(sql_units, sql_database.provided.engine),
        mongo=providers.Singleton(mongo_units, mongo_storage),
        memory=providers.Singleton(in_memory_units, memory_store),
    )
    units = providers.Singleton(metered_units, unit_of_work, metrics, config.STORAGE_BACKEND)
    storage_check = providers.Selector(
        config.STORAGE_BACKEND,
        sql=sql_database.provided.ping,
        mongo=mongo_storage.provided.ping,
        memory=providers.Callable(partial, ping_store, memory_store),
    )

    # One connection pool per process for sessions and revocations; connects on first use.
    redis = providers.Singleton(redis_client, config.REDIS_URL, timeout=config.REDIS_TIMEOUT)
    session_cache = providers.Selector(
        config.SESSION_TYPE,
        filesystem=providers.Singleton(file_cache, providers.Callable(session_dir, settings)),
        mongodb=providers.Singleton(MongoSessionCache, mongo_storage, collection=SESSIONS),
        redis=providers.Singleton(RedisStoreCache, redis, key_prefix=SESSION_PREFIX),
        memory=providers.Singleton(memory_cache),
    )
    revocation_cache = providers.Selector(
        config.SESSION_TYPE,
        filesystem=providers.Singleton(
            file_cache,
            providers.Callable(revocation_dir, settings),
            threshold=UNBOUNDED,
            fail_closed=True,
        ),
        mongodb=providers.Singleton(MongoSessionCache, mongo_storage, collection=REVOKED_TOKENS),
        # Its own prefix on the same server; entries expire with their tokens, never earlier.
        redis=providers.Singleton(RedisStoreCache, redis, key_prefix=REVOCATION_PREFIX),
        memory=providers.Singleton(memory_cache),
    )
    revocations = providers.Singleton(CachelibRevocationList, cache=revocation_cache, clock=clock)

    token_keys = providers.Singleton(load_keys, settings)
    token_service = providers.Singleton(
        metered_tokens,
        providers.Factory(
            JweTokenService,
            keys=token_keys,
            clock=clock,
            revocations=revocations,
            issuer=config.TOKEN_ISSUER,
            audience=config.TOKEN_AUDIENCE,
            access_ttl=providers.Factory(timedelta, seconds=config.ACCESS_TOKEN_TTL),
            refresh_ttl=providers.Factory(timedelta, seconds=config.REFRESH_TOKEN_TTL),
            leeway=providers.Factory(timedelta, seconds=config.TOKEN_LEEWAY),
            cache_size=config.TOKEN_CACHE_SIZE,
        ),
        metrics,
    )

    password_hasher = providers.Singleton(
        Argon2PasswordHasher,
        time_cost=config.ARGON2_TIME_COST,
        memory_cost_kib=config.ARGON2_MEMORY_COST,
        parallelism=config.ARGON2_PARALLELISM,
    )
    password_policy = providers.Singleton(PasswordPolicy, min_length=config.PASSWORD_MIN_LENGTH)

    item_service = providers.Singleton(ItemService, uow=units, clock=clock, ids=ids)
    auth_service = providers.Singleton(
        AuthService, tokens=token_service, revocations=revocations, ids=ids
    )
    user_service = providers.Singleton(
        UserService,
        uow=units,
        hasher=password_hasher,
        clock=clock,
        ids=ids,
        policy=password_policy,
    )
    login_service = providers.Singleton(
        LoginService,
        uow=units,
        hasher=password_hasher,
        tokens=token_service,
        revocations=revocations,
        clock=clock,
        ids=ids,
        refresh_ttl=providers.Factory(timedelta, seconds=config.REFRESH_TOKEN_TTL),
    )

    # Each dependency /readyz reports, as a callable that raises Unavailable when it is down.
    readiness_checks = providers.Dict(
        storage=storage_check,
        session_store=providers.Callable(partial, ping_cache, session_cache),
    )
