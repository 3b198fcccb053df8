"""Typed settings read once from the environment and `.env`, validated at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from limits import parse_many
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from redis.connection import parse_url as parse_redis_url
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from adapters.http.proxies import trusted_entries
from adapters.mongo.client import DEFAULT_TIMEOUT_MS
from adapters.mongo.client import URI_PATTERN as MONGODB_URI_PATTERN
from adapters.mongo.client import check_uri as check_mongo_uri
from adapters.sql.database import PoolSettings
from adapters.sql.dbtype import DBType, sql_url
from adapters.sql.drivers import driver_problem
from core.ports.tokens import MAX_LEEWAY

MIB = 1024 * 1024


class Environment(StrEnum):
    """Development creates missing secrets on first run; production demands them."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TESTING = "testing"


class StorageBackend(StrEnum):
    """Where entities live."""

    SQL = "sql"
    MONGO = "mongo"
    MEMORY = "memory"


class SessionStore(StrEnum):
    """Where Flask-Session keeps sessions and the token deny-list keeps revoked ids."""

    FILESYSTEM = "filesystem"
    MONGODB = "mongodb"
    REDIS = "redis"
    MEMORY = "memory"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the environment variable."""


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting, named as its environment variable (see the README's table)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", case_sensitive=True, extra="ignore"
    )

    APP_ENV: Environment = Environment.DEVELOPMENT
    INSTANCE_PATH: Path = Field(default_factory=lambda: Path.cwd() / "instance")
    STORAGE_BACKEND: StorageBackend = StorageBackend.SQL

    DATABASE_URL: str | None = None
    SQL_DB_TYPE: DBType | None = None
    SQL_HOST: str | None = None
    SQL_PORT: int | None = Field(default=None, ge=1, le=65535)
    SQL_USER: str | None = None
    SQL_PASSWORD: str | None = None
    SQL_DATABASE: str = "app"
    SQL_POOL_SIZE: int = Field(default=5, ge=1)
    SQL_POOL_MAX_OVERFLOW: int = Field(default=10, ge=0)
    SQL_POOL_TIMEOUT: float = Field(default=10.0, gt=0)
    SQL_POOL_RECYCLE: int = Field(default=1800, ge=-1)
    SQL_POOL_PRE_PING: bool = True
    # Seconds to wait for a new server connection (PostgreSQL, MySQL), so a lost host is a 503.
    SQL_CONNECT_TIMEOUT: int = Field(default=5, ge=2, le=300)

    # Required when STORAGE_BACKEND=mongo or SESSION_TYPE=mongodb; `mongomock://` = in process.
    MONGODB_URI: str | None = Field(default=None, pattern=MONGODB_URI_PATTERN)
    MONGODB_DATABASE: str = Field(default="app", pattern=r"^[^/\\. \"$*<>:|?]{1,63}$")
    MONGODB_TIMEOUT_MS: int = Field(default=DEFAULT_TIMEOUT_MS, ge=100, le=120_000)

    # Signs the session cookie and, through a key derived with its own purpose label, the page
    # cursors of every listing (adapters/http/cursors.py): rotating it ends outstanding cursors.
    SECRET_KEY: str | None = Field(default=None, min_length=32)
    TOKEN_KEYS: str | None = None
    TOKEN_KEYS_FILE: Path | None = None
    TOKEN_ISSUER: str = "hexapi"
    TOKEN_AUDIENCE: str = "api"
    ACCESS_TOKEN_TTL: int = Field(default=15 * 60, ge=1)
    REFRESH_TOKEN_TTL: int = Field(default=14 * 24 * 3600, ge=1)
    TOKEN_LEEWAY: int = Field(default=30, ge=0, le=int(MAX_LEEWAY.total_seconds()))
    LOGIN_TOKENS_SESSION_BOUND: bool = False
    TOKEN_CACHE_SIZE: int = Field(default=4096, ge=0, le=1_000_000)

    PASSWORD_MIN_LENGTH: int = Field(default=12, ge=8, le=128)
    # argon2id costs (RFC 9106's second recommendation); changing them rehashes at next login.
    ARGON2_TIME_COST: int = Field(default=3, ge=1)
    ARGON2_MEMORY_COST: int = Field(default=64 * 1024, ge=8, description="KiB")
    ARGON2_PARALLELISM: int = Field(default=4, ge=1)

    SESSION_TYPE: SessionStore = SessionStore.FILESYSTEM
    SESSION_FILE_DIR: Path | None = None
    SESSION_COOKIE_SECURE: bool | None = None
    # Shared state of several instances: when set, SESSION_TYPE and RATELIMIT_STORAGE_URI
    # default to this Redis (sessions, the token deny-list, rate-limit counters).
    REDIS_URL: str | None = Field(default=None, pattern=r"^(redis|rediss|unix)://")
    REDIS_TIMEOUT: float = Field(default=2.0, gt=0, le=60)

    # The production server (`make serve`: gunicorn with deploy/gunicorn.conf.py).
    BIND: str = "127.0.0.1:8000"
    WEB_CONCURRENCY: int = Field(default=2, ge=1, le=64)
    # gevent holds slow clients in greenlets; gthread and sync hold a thread or a worker each.
    GUNICORN_WORKER: Literal["gevent", "gthread", "sync"] = "gevent"
    GUNICORN_CONNECTIONS: int = Field(default=1000, ge=1, le=100_000)
    GUNICORN_THREADS: int = Field(default=1, ge=1, le=64)
    GRACEFUL_TIMEOUT: int = Field(default=30, ge=1)
    WORKER_TIMEOUT: int = Field(default=30, ge=1)
    ACCESS_LOG: bool = True

    CORS_ORIGINS: Annotated[list[str] | None, NoDecode] = None
    CORS_METHODS: Annotated[list[str], NoDecode] = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]
    CORS_HEADERS: Annotated[list[str], NoDecode] = [
        "Authorization",
        "Content-Type",
        "Idempotency-Key",
        "If-Match",
        "If-None-Match",
    ]
    # Response headers a browser script may read on a cross-origin answer.
    CORS_EXPOSE_HEADERS: Annotated[list[str], NoDecode] = [
        "Deprecation",
        "ETag",
        "Idempotent-Replayed",
        "Link",
        "Location",
        "Retry-After",
        "X-Request-ID",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "Sunset",
    ]
    MAX_CONTENT_LENGTH: int = Field(default=MIB, ge=1)
    # How many proxies in front of the service set X-Forwarded-For/-Proto/-Host (0: trust none).
    PROXY_FIX_X_FOR: int = Field(default=0, ge=0, le=10)
    # Direct peers whose forwarded headers count: IP addresses, CIDR networks, `unix`, or `*`.
    TRUSTED_PROXIES: Annotated[list[str], NoDecode] = ["127.0.0.1", "::1"]

    # Errors as RFC 9457 problem details (application/problem+json) for every client whose
    # Accept does not prefer application/json; off, only a client that asks for them gets them.
    PROBLEM_DETAILS_DEFAULT: bool = False

    # Idempotency-Key on POST (docs/http-standards.md): seconds an answer is kept for replays.
    IDEMPOTENCY_TTL: int = Field(default=24 * 3600, ge=1, le=30 * 24 * 3600)
    # Seconds a running request holds its key, so a worker lost mid-request frees it.
    IDEMPOTENCY_CLAIM_TTL: int = Field(default=60, ge=1, le=3600)
    # Seconds a retry waits for the request still running under its key, then 409 (0: at once).
    IDEMPOTENCY_WAIT: float = Field(default=0.0, ge=0, le=30)
    # Whether PATCH honours Idempotency-Key too (POST always does).
    IDEMPOTENCY_PATCH: bool = False
    # Keyed writes (`create_item`, or `change_item` with IDEMPOTENCY_PATCH) answering 400 without
    # an Idempotency-Key; comma-separated operation ids.
    IDEMPOTENCY_REQUIRED: Annotated[list[str], NoDecode] = []

    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    REQUEST_LOG: bool = True

    # Observability: metrics recorded by each app; under gunicorn served on METRICS_BIND only.
    METRICS_ENABLED: bool = True
    METRICS_BIND: str | None = Field(default=None, pattern=r"^[^\s:]*:\d{1,5}$")
    # Tracing is off unless these standard OpenTelemetry variables ask for it; the SDK reads
    # the rest (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, ...) itself.
    OTEL_SDK_DISABLED: bool = False
    OTEL_TRACES_EXPORTER: Literal["otlp", "none"] | None = None
    OTEL_EXPORTER_OTLP_ENDPOINT: str | None = None
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: str | None = None
    OTEL_EXPORTER_OTLP_PROTOCOL: Literal["http/protobuf"] | None = None
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: Literal["http/protobuf"] | None = None

    RATELIMIT_ENABLED: bool = True
    RATELIMIT_DEFAULT: str = "600 per minute"
    RATELIMIT_CREDENTIALS: str = "10 per minute"
    # Failed logins per account and client address, and per account from addresses it never
    # logged in from (rate_limits/login_throttle.py).
    RATELIMIT_LOGIN_FAILURES: str = "5 per 15 minutes"
    RATELIMIT_LOGIN_FAILURES_ACCOUNT: str = "10 per hour"
    RATELIMIT_STORAGE_URI: str = "memory://"

    _lists = field_validator(
        "CORS_ORIGINS",
        "CORS_METHODS",
        "CORS_HEADERS",
        "CORS_EXPOSE_HEADERS",
        "TRUSTED_PROXIES",
        "IDEMPOTENCY_REQUIRED",
        mode="before",
    )(_split_list)

    @field_validator("TRUSTED_PROXIES")
    @classmethod
    def _trusted_proxies(cls, value: list[str]) -> list[str]:
        return list(trusted_entries(value))  # ValueError names the entry it could not read

    @field_validator(
        "RATELIMIT_DEFAULT",
        "RATELIMIT_CREDENTIALS",
        "RATELIMIT_LOGIN_FAILURES",
        "RATELIMIT_LOGIN_FAILURES_ACCOUNT",
    )
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        parse_many(value)  # ValueError names what it could not read
        return value

    @field_validator("RATELIMIT_STORAGE_URI")
    @classmethod
    def _counter_store(cls, value: str) -> str:
        if value.startswith("async+"):
            raise ValueError("an asyncio store (async+...) cannot count for a WSGI app")
        return value

    @field_validator("REDIS_URL")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None:
            parse_redis_url(value)  # type: ignore[no-untyped-call]  # ValueError names the part
        return value

    @field_validator("MONGODB_URI")
    @classmethod
    def _mongo_uri(cls, value: str | None) -> str | None:
        if value is not None:
            check_mongo_uri(value)  # the message never repeats the URI (it may hold a password)
        return value

    @model_validator(mode="after")
    def _mongo_needs_a_uri(self) -> Settings:
        uses_mongo = self.STORAGE_BACKEND is StorageBackend.MONGO
        if (uses_mongo or self.SESSION_TYPE is SessionStore.MONGODB) and not self.MONGODB_URI:
            raise ValueError(
                "MONGODB_URI is required by STORAGE_BACKEND=mongo or SESSION_TYPE=mongodb"
            )
        return self

    @model_validator(mode="after")
    def _sql_driver_installed(self) -> Settings:
        # Refused here, naming the setting, rather than as a 500 on every request.
        if self.STORAGE_BACKEND is not StorageBackend.SQL:
            return self
        name = "DATABASE_URL" if self.DATABASE_URL else "SQL_DB_TYPE"
        try:
            problem = driver_problem(self.database_url())
        except ArgumentError:
            problem = "not a SQLAlchemy URL (dialect+driver://user:password@host:port/database)"
        if problem:
            raise ValueError(f"{name}: {problem}")
        return self

    @model_validator(mode="after")
    def _threads_need_gthread(self) -> Settings:
        if self.GUNICORN_THREADS > 1 and self.GUNICORN_WORKER != "gthread":
            raise ValueError(
                f"GUNICORN_THREADS={self.GUNICORN_THREADS} needs GUNICORN_WORKER=gthread"
                f" (GUNICORN_WORKER is {self.GUNICORN_WORKER})"
            )
        return self

    @model_validator(mode="after")
    def _redis_shares_state(self) -> Settings:
        if not self.REDIS_URL:
            if self.SESSION_TYPE is SessionStore.REDIS:
                raise ValueError("REDIS_URL is required by SESSION_TYPE=redis")
            return self
        # Settings given explicitly win; only the defaults move to Redis.
        if "SESSION_TYPE" not in self.model_fields_set:
            self.SESSION_TYPE = SessionStore.REDIS
        if "RATELIMIT_STORAGE_URI" not in self.model_fields_set:
            # limits names a Redis socket `redis+unix://`, redis-py `unix://`.
            unix = self.REDIS_URL.startswith("unix://")
            self.RATELIMIT_STORAGE_URI = f"redis+{self.REDIS_URL}" if unix else self.REDIS_URL
        return self

    @property
    def tracing(self) -> bool:
        """Whether spans are recorded: OTEL_TRACES_EXPORTER=otlp, or an OTLP endpoint given."""
        if self.OTEL_SDK_DISABLED or self.OTEL_TRACES_EXPORTER == "none":
            return False
        endpoint = self.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or self.OTEL_EXPORTER_OTLP_ENDPOINT
        return self.OTEL_TRACES_EXPORTER == "otlp" or endpoint is not None

    @property
    def development(self) -> bool:
        """Whether missing secrets may be generated into the instance folder."""
        return self.APP_ENV is not Environment.PRODUCTION

    def database_url(self) -> URL:
        """DATABASE_URL if given, else a URL from the SQL_* parts, else the instance SQLite file."""
        if self.DATABASE_URL:
            return make_url(self.DATABASE_URL)
        if self.SQL_DB_TYPE is None or self.SQL_DB_TYPE is DBType.SQLITE and not self.SQL_HOST:
            name = self.SQL_DATABASE if self.SQL_DB_TYPE else "app"
            path = Path(name) if Path(name).is_absolute() else self.INSTANCE_PATH / f"{name}.db"
            return sql_url(DBType.SQLITE, database_name=str(path))
        return sql_url(
            self.SQL_DB_TYPE,
            username=self.SQL_USER,
            password=self.SQL_PASSWORD,
            host=self.SQL_HOST,
            port=self.SQL_PORT,
            database_name=self.SQL_DATABASE,
        )

    def pool(self) -> PoolSettings:
        """The SQL connection pool settings."""
        return PoolSettings(
            size=self.SQL_POOL_SIZE,
            max_overflow=self.SQL_POOL_MAX_OVERFLOW,
            timeout=self.SQL_POOL_TIMEOUT,
            recycle=self.SQL_POOL_RECYCLE,
            pre_ping=self.SQL_POOL_PRE_PING,
            connect_timeout=self.SQL_CONNECT_TIMEOUT,
        )

    def cors_origins(self) -> list[str]:
        """CORS_ORIGINS, or the local development origins when unset outside production."""
        if self.CORS_ORIGINS is not None:
            return self.CORS_ORIGINS
        if self.development:
            return ["http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:5173"]
        return []


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings from the environment, `.env` and `overrides`; SettingsError names a bad variable."""
    try:
        return Settings(**dict(overrides or {}))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or 'settings'}: {issue['msg']}"
            for issue in error.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None
