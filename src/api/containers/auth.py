"""Auth: token keys and the token service (metered), revocations, password hashing, the session
store tokens are bound to; `SESSION_TYPE` picks where sessions, revocations and the answers kept
for Idempotency-Key live."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from dependency_injector import containers, providers

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.passwords import Argon2PasswordHasher
from adapters.auth.revocations import CachelibRevocationList
from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.tokens import metered_tokens
from adapters.mongo.session_cache import (
    IDEMPOTENCY_KEYS,
    REVOKED_TOKENS,
    SESSIONS,
    MongoSessionCache,
)
from adapters.mongo.storage import MongoStorage
from adapters.session_store.caches import UNBOUNDED, file_cache, memory_cache
from adapters.session_store.redis_cache import (
    IDEMPOTENCY_PREFIX,
    REVOCATION_PREFIX,
    SESSION_PREFIX,
    RedisStoreCache,
    redis_client,
)
from api.secrets_store import load_keys
from api.settings import Settings
from core.ports.clock import Clock
from core.services.passwords import PasswordPolicy


def session_dir(settings: Settings) -> Path:
    """SESSION_FILE_DIR, or `sessions/` in the instance folder."""
    return settings.SESSION_FILE_DIR or settings.INSTANCE_PATH / "sessions"


def revocation_dir(settings: Settings) -> Path:
    """`revoked_tokens/` beside the session folder, so session eviction never touches it."""
    return session_dir(settings).parent / "revoked_tokens"


def seconds(count: int) -> timedelta:
    """A duration given in seconds by a setting."""
    return timedelta(seconds=count)


def idempotency_dir(settings: Settings) -> Path:
    """`idempotency/` beside the session folder: answers kept for Idempotency-Key replays."""
    return session_dir(settings).parent / "idempotency"


class AuthContainer(containers.DeclarativeContainer):
    """Tokens, their revocations and the sessions they may be bound to, and passwords."""

    settings = providers.Dependency(instance_of=Settings)
    metrics: providers.Dependency[ServiceMetrics | None] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    mongo_storage: providers.Dependency[MongoStorage] = providers.Dependency()

    # One connection pool per process for sessions and revocations; connects on first use.
    redis = providers.Singleton(
        redis_client, settings.provided.REDIS_URL, timeout=settings.provided.REDIS_TIMEOUT
    )
    session_cache = providers.Selector(
        settings.provided.SESSION_TYPE,
        filesystem=providers.Singleton(file_cache, providers.Callable(session_dir, settings)),
        mongodb=providers.Singleton(MongoSessionCache, mongo_storage, collection=SESSIONS),
        redis=providers.Singleton(RedisStoreCache, redis, key_prefix=SESSION_PREFIX),
        memory=providers.Singleton(memory_cache),
    )
    revocation_cache = providers.Selector(
        settings.provided.SESSION_TYPE,
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
    # Answers kept for Idempotency-Key replays, in the store sessions use (shared by instances
    # when it is Redis or Mongo); an entry that cannot be read is a 503, never "no answer yet".
    idempotency_cache = providers.Selector(
        settings.provided.SESSION_TYPE,
        filesystem=providers.Singleton(
            file_cache, providers.Callable(idempotency_dir, settings), fail_closed=True
        ),
        mongodb=providers.Singleton(MongoSessionCache, mongo_storage, collection=IDEMPOTENCY_KEYS),
        redis=providers.Singleton(RedisStoreCache, redis, key_prefix=IDEMPOTENCY_PREFIX),
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
            issuer=settings.provided.TOKEN_ISSUER,
            audience=settings.provided.TOKEN_AUDIENCE,
            access_ttl=providers.Factory(seconds, settings.provided.ACCESS_TOKEN_TTL),
            refresh_ttl=providers.Factory(seconds, settings.provided.REFRESH_TOKEN_TTL),
            leeway=providers.Factory(seconds, settings.provided.TOKEN_LEEWAY),
            cache_size=settings.provided.TOKEN_CACHE_SIZE,
        ),
        metrics,
    )

    password_hasher = providers.Singleton(
        Argon2PasswordHasher,
        time_cost=settings.provided.ARGON2_TIME_COST,
        memory_cost_kib=settings.provided.ARGON2_MEMORY_COST,
        parallelism=settings.provided.ARGON2_PARALLELISM,
    )
    password_policy = providers.Singleton(
        PasswordPolicy, min_length=settings.provided.PASSWORD_MIN_LENGTH
    )
