"""`create_app()`: settings, container, Flask extensions, blueprints and the CLI, wired once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from adapters.http.flask_app import ApiFlask
from adapters.http.problems import PROBLEMS_BY_DEFAULT
from adapters.http.services import EXTENSION_KEY
from adapters.http.sessions.lazy import LazySessions
from adapters.http.sessions.outages import OutageTolerantSessions
from adapters.original.sql_setup import bind_sessions
from api.cli import register_commands
from api.container import Container
from api.http_setup import install_http
from api.logging_setup import configure_logging
from api.observability import install_observability
from api.secrets_store import load_secret_key
from api.settings import Settings, StorageBackend, load_settings


def create_app(
    config_overrides: Mapping[str, Any] | None = None, *, container: Container | None = None
) -> Flask:
    """A new app; `config_overrides` take precedence over the environment (tests use them).

    A given `container` brings its settings, the app's one configuration source.
    """
    if container is None:
        settings = load_settings(config_overrides)
        container = build_container(settings)
    else:
        settings = container.settings()
    configure_logging(settings.LOG_LEVEL)
    # Fail at start-up, naming the setting, rather than at the first request that needs a token.
    container.token_keys()

    app = ApiFlask("api", instance_path=str(settings.INSTANCE_PATH.resolve()))
    app.config.update(flask_config(settings, container))
    app.extensions[EXTENSION_KEY] = container
    app.extensions["container"] = container

    install_http(app, settings, resources=container.resources())
    install_observability(app, container, settings)
    app.session_interface = LazySessions(OutageTolerantSessions(app.session_interface))
    if settings.STORAGE_BACKEND is StorageBackend.SQL:
        # ModelBase's helpers work inside the service too, on its engine (made on first use).
        sessions = bind_sessions(lambda: container.sql_database().engine)
        app.teardown_appcontext(lambda _exc: sessions.remove())
    register_commands(app)
    return app


def build_container(settings: Settings) -> Container:
    """The container for these settings, its one configuration source."""
    container = Container()
    container.settings.override(settings)
    return container


def flask_config(settings: Settings, container: Container) -> dict[str, Any]:
    """Flask's own configuration, Flask-Session's included."""
    return {
        "SECRET_KEY": load_secret_key(settings),
        "MAX_CONTENT_LENGTH": settings.MAX_CONTENT_LENGTH,
        PROBLEMS_BY_DEFAULT: settings.PROBLEM_DETAILS_DEFAULT,
        "TESTING": settings.APP_ENV == "testing",
        "SESSION_TYPE": "cachelib",
        "SESSION_CACHELIB": container.session_cache(),
        "SESSION_PERMANENT": False,
        # Store a session when it changes, not again on every request that reads it: a
        # bound token's each use would otherwise rewrite its session (a file or a Redis SET).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": (
            settings.SESSION_COOKIE_SECURE
            if settings.SESSION_COOKIE_SECURE is not None
            else not settings.development
        ),
    }
