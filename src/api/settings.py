"""Typed settings read once from the environment and `.env`, validated at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from limits import parse_many
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
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
    """Every setting, named as its environment variable; the docstrings are its documentation."""

    # Each field's docstring is its description, read by docs/configuration.md's table.
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        case_sensitive=True,
        extra="ignore",
        use_attribute_docstrings=True,
    )

    APP_ENV: Environment = Environment.DEVELOPMENT
    """`development`, `testing` or `production`; outside production missing secrets are generated
    into the instance folder."""
    INSTANCE_PATH: Path = Field(default_factory=lambda: Path.cwd() / "instance")
    """Folder for the SQLite file, generated secrets and sessions; `./instance` of the working
    directory by default."""
    STORAGE_BACKEND: StorageBackend = StorageBackend.SQL
    """Where entities live: `sql`, `mongo` or `memory`."""

    DATABASE_URL: str | None = None
    """SQLAlchemy URL of the SQL database; wins over the `SQL_*` parts."""
    SQL_DB_TYPE: DBType | None = None
    """The original's `setup_sql_db` parts, with `SQL_HOST` to `SQL_DATABASE`: `sqlite`,
    `postgresql`, `mysql` or `mssql`; unset: SQLite `instance/app.db`."""
    SQL_HOST: str | None = None
    """SQL server host (may carry `:port`, as in the original)."""
    SQL_PORT: int | None = Field(default=None, ge=1, le=65535)
    """SQL server port."""
    SQL_USER: str | None = None
    """SQL user name."""
    SQL_PASSWORD: str | None = None
    """SQL password (quoted into the URL, so `@`, `/` and `:` are fine)."""
    SQL_DATABASE: str = "app"
    """SQL database name (the file name for SQLite)."""
    SQL_POOL_SIZE: int = Field(default=5, ge=1)
    """Connections the SQL pool keeps open."""
    SQL_POOL_MAX_OVERFLOW: int = Field(default=10, ge=0)
    """Connections the SQL pool may open beyond `SQL_POOL_SIZE`."""
    SQL_POOL_TIMEOUT: float = Field(default=10.0, gt=0)
    """Seconds a request waits for a pooled connection before it answers 503."""
    SQL_POOL_RECYCLE: int = Field(default=1800, ge=-1)
    """Seconds after which a pooled connection is replaced (-1: never)."""
    SQL_POOL_PRE_PING: bool = True
    """Test each pooled connection before use, so one the server closed is replaced."""
    # Seconds to wait for a new server connection (PostgreSQL, MySQL), so a lost host is a 503.
    SQL_CONNECT_TIMEOUT: int = Field(default=5, ge=2, le=300)
    """Seconds to wait for a new PostgreSQL/MySQL connection before the request answers 503; a
    `connect_timeout` in the URL wins."""

    # Required when STORAGE_BACKEND=mongo or SESSION_TYPE=mongodb; `mongomock://` = in process.
    MONGODB_URI: str | None = Field(default=None, pattern=MONGODB_URI_PATTERN)
    """`mongodb://...` or `mongodb+srv://...` (a real server), `mongomock://` (in process);
    required by `STORAGE_BACKEND=mongo` and `SESSION_TYPE=mongodb`."""
    MONGODB_DATABASE: str = Field(default="app", pattern=r"^[^/\\. \"$*<>:|?]{1,63}$")
    """The Mongo database."""
    MONGODB_TIMEOUT_MS: int = Field(default=DEFAULT_TIMEOUT_MS, ge=100, le=120_000)
    """Server selection and connect timeout (ms): how long a request waits before a 503."""

    # Signs the session cookie and, through a key derived with its own purpose label, the page
    # cursors of every listing (adapters/http/cursors.py): rotating it ends outstanding cursors.
    SECRET_KEY: str | None = Field(default=None, min_length=32)
    """Flask session signing (32+ characters); generated into `instance/secret_key` outside
    production, required in production."""
    TOKEN_KEYS: str | None = None
    """The JWK set (JSON) that signs and wraps tokens."""
    TOKEN_KEYS_FILE: Path | None = None
    """File holding the JWK set; unset: `instance/token_keys.json`, created outside production."""
    TOKEN_ISSUER: str = "hexapi"
    """`iss` of issued tokens, required on verification; also the default OpenTelemetry service
    name."""
    TOKEN_AUDIENCE: str = "api"
    """`aud` of issued tokens, required on verification."""
    ACCESS_TOKEN_TTL: int = Field(default=15 * 60, ge=1)
    """Seconds an access token lives."""
    REFRESH_TOKEN_TTL: int = Field(default=14 * 24 * 3600, ge=1)
    """Seconds a refresh token lives."""
    TOKEN_LEEWAY: int = Field(default=30, ge=0, le=int(MAX_LEEWAY.total_seconds()))
    """Seconds of clock skew allowed on `exp` and `nbf` (at most 300)."""
    LOGIN_TOKENS_SESSION_BOUND: bool = False
    """Bind login tokens to the session cookie, like the anonymous ones."""
    TOKEN_CACHE_SIZE: int = Field(default=4096, ge=0, le=1_000_000)
    """Verified tokens remembered per process (0 turns the cache off)."""

    PASSWORD_MIN_LENGTH: int = Field(default=12, ge=8, le=128)
    """Minimum password length."""
    # argon2id costs (RFC 9106's second recommendation); changing them rehashes at next login.
    ARGON2_TIME_COST: int = Field(default=3, ge=1)
    """argon2id iterations."""
    ARGON2_MEMORY_COST: int = Field(default=64 * 1024, ge=8)
    """argon2id memory in KiB."""
    ARGON2_PARALLELISM: int = Field(default=4, ge=1)
    """argon2id lanes."""

    SESSION_TYPE: SessionStore = SessionStore.FILESYSTEM
    """Session and revocation store: `filesystem` (cachelib files), `mongodb`, `redis` or `memory`
    (this process only); `redis` when `REDIS_URL` is set."""
    SESSION_FILE_DIR: Path | None = None
    """Session files; revoked token ids go to `revoked_tokens/` beside it; unset:
    `instance/sessions`."""
    SESSION_COOKIE_SECURE: bool | None = None
    """`Secure` cookie flag (`HttpOnly` and `SameSite=Lax` always); unset: on in production."""
    # Shared state of several instances: when set, SESSION_TYPE and RATELIMIT_STORAGE_URI
    # default to this Redis (sessions, the token deny-list, rate-limit counters).
    REDIS_URL: str | None = Field(default=None, pattern=r"^(redis|rediss|unix)://")
    """`redis://`, `rediss://` or `unix://` URL of the Redis that instances share: sessions,
    revoked tokens and (by default) rate-limit counters."""
    REDIS_TIMEOUT: float = Field(default=2.0, gt=0, le=60)
    """Seconds a Redis connect or command may take before the request answers 503 (one quick
    retry)."""

    # The production server (`make serve`: gunicorn with deploy/gunicorn.conf.py).
    BIND: str = "127.0.0.1:8000"
    """Address:port (or `unix:PATH`) gunicorn listens on."""
    WEB_CONCURRENCY: int = Field(default=2, ge=1, le=64)
    """gunicorn worker processes."""
    # gevent holds slow clients in greenlets; gthread and sync hold a thread or a worker each.
    GUNICORN_WORKER: Literal["gevent", "gthread", "sync"] = "gevent"
    """gunicorn worker class: `gevent` (one greenlet per connection), `gthread` or `sync`."""
    GUNICORN_CONNECTIONS: int = Field(default=1000, ge=1, le=100_000)
    """Connections one `gevent` worker holds at once, slow ones included."""
    GUNICORN_THREADS: int = Field(default=1, ge=1, le=64)
    """Threads per worker; above 1 only with `GUNICORN_WORKER=gthread`."""
    GRACEFUL_TIMEOUT: int = Field(default=30, ge=1)
    """Seconds SIGTERM leaves in-flight requests to finish before workers are killed."""
    WORKER_TIMEOUT: int = Field(default=30, ge=1)
    """Seconds a silent worker lives before gunicorn restarts it."""
    ACCESS_LOG: bool = True
    """gunicorn's access log on stdout, one JSON object per request."""

    CORS_ORIGINS: Annotated[list[str] | None, NoDecode] = None
    """Comma-separated exact origins; unset: none in production, local development servers
    otherwise."""
    CORS_METHODS: Annotated[list[str], NoDecode] = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]
    """Methods a cross-origin request may use."""
    CORS_HEADERS: Annotated[list[str], NoDecode] = [
        "Authorization",
        "Content-Type",
        "Idempotency-Key",
        "If-Match",
        "If-None-Match",
    ]
    """Request headers a cross-origin request may send."""
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
    """Response headers a cross-origin script may read."""
    MAX_CONTENT_LENGTH: int = Field(default=MIB, ge=1)
    """Request body limit in bytes (larger: 413)."""
    PROXY_FIX_X_FOR: int = Field(default=0, ge=0, le=10)
    """How many proxies in front set `X-Forwarded-For/-Proto/-Host` (0: trust none)."""
    TRUSTED_PROXIES: Annotated[list[str], NoDecode] = ["127.0.0.1", "::1"]
    """Direct peers whose forwarded headers count: IP addresses, CIDR networks, `unix` or `*`."""

    PROBLEM_DETAILS_DEFAULT: bool = False
    """Errors as RFC 9457 problem details (`application/problem+json`) for every client whose
    Accept does not prefer `application/json`; off, only a client that asks for them gets them."""

    IDEMPOTENCY_TTL: int = Field(default=24 * 3600, ge=1, le=30 * 24 * 3600)
    """Seconds an answer to an Idempotency-Key write is kept for replays."""
    IDEMPOTENCY_CLAIM_TTL: int = Field(default=60, ge=1, le=3600)
    """Seconds a running request holds its key, so a worker lost mid-request frees it."""
    IDEMPOTENCY_WAIT: float = Field(default=0.0, ge=0, le=30)
    """Seconds a retry waits for the request still running under its key, then 409 (0: at once)."""
    IDEMPOTENCY_PATCH: bool = False
    """Whether PATCH honours Idempotency-Key too (POST always does)."""
    IDEMPOTENCY_REQUIRED: Annotated[list[str], NoDecode] = []
    """Keyed writes (`create_item`, or `change_item` with IDEMPOTENCY_PATCH) answering 400
    without an Idempotency-Key; comma-separated operation ids."""

    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """The service's log level."""
    REQUEST_LOG: bool = True
    """One JSON log line per request."""

    # Observability: metrics recorded by each app; under gunicorn served on METRICS_BIND only.
    METRICS_ENABLED: bool = True
    """Record Prometheus metrics (under gunicorn only when `METRICS_BIND` is set, unless given)."""
    METRICS_BIND: str | None = Field(default=None, pattern=r"^[^\s:]*:\d{1,5}$")
    """`host:port` where gunicorn's master serves `/metrics` for all workers; unset: no endpoint."""
    # Tracing is off unless these standard OpenTelemetry variables ask for it; the SDK reads
    # the rest (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, ...) itself.
    OTEL_SDK_DISABLED: bool = False
    """Turns tracing off whatever else is set."""
    OTEL_TRACES_EXPORTER: Literal["otlp", "none"] | None = None
    """`otlp` turns tracing on, `none` off; unset: on when an endpoint is given."""
    OTEL_EXPORTER_OTLP_ENDPOINT: str | None = None
    """OTLP/HTTP endpoint; setting it turns tracing on."""
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: str | None = None
    """OTLP/HTTP endpoint for traces only; setting it turns tracing on."""
    OTEL_EXPORTER_OTLP_PROTOCOL: Literal["http/protobuf"] | None = None
    """Only `http/protobuf` is accepted."""
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: Literal["http/protobuf"] | None = None
    """Only `http/protobuf` is accepted."""

    RATELIMIT_ENABLED: bool = True
    """Count requests and refuse over the limits (429)."""
    RATELIMIT_DEFAULT: str = "600 per minute"
    """Limit per client address and route, in the limits library's syntax (`600 per minute;10000
    per day`)."""
    RATELIMIT_CREDENTIALS: str = "10 per minute"
    """Limit on login and registration per client address."""
    # Failed logins per account and client address, and per account from addresses it never
    # logged in from (rate_limits/login_throttle.py).
    RATELIMIT_LOGIN_FAILURES: str = "5 per 15 minutes"
    """Failed logins per account and client address."""
    RATELIMIT_LOGIN_FAILURES_ACCOUNT: str = "10 per hour"
    """Failed logins per account from addresses that have not logged into it in 30 days."""
    RATELIMIT_STORAGE_URI: str = "memory://"
    """Where counters live (`memory://`, `redis://host:6379/0`, ...); `REDIS_URL` when set."""

    _lists = field_validator(
        "CORS_ORIGINS",
        "CORS_METHODS",
        "CORS_HEADERS",
        "CORS_EXPOSE_HEADERS",
        "TRUSTED_PROXIES",
        "IDEMPOTENCY_REQUIRED",
        mode="before",
    )(_split_list)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],  # noqa: ARG003 (the signature pydantic-settings calls)
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # A `.env` that is absent or empty gives no value, yet its source would still walk every
        # field's annotation as the environment's source does: nearly half of a load.
        if isinstance(dotenv_settings, DotEnvSettingsSource) and not dotenv_settings.env_vars:
            return init_settings, env_settings, file_secret_settings
        return init_settings, env_settings, dotenv_settings, file_secret_settings

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
