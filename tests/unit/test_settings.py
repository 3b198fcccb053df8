"""Settings are validated at start-up and errors name the variable to fix."""

from __future__ import annotations

import pytest

from api import create_app
from api.settings import SettingsError, load_settings
from tests.helpers import app_settings


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STORAGE_BACKEND", "cassandra"),
        ("SQL_PORT", "not-a-port"),
        ("SQL_PORT", "70000"),
        ("SQL_DB_TYPE", "oracle"),
        ("MAX_CONTENT_LENGTH", "0"),
        ("ACCESS_TOKEN_TTL", "-5"),
        ("SECRET_KEY", "short"),
        ("APP_ENV", "staging"),
    ],
)
def test_a_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


def test_the_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_BACKEND", "memory")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    settings = load_settings()
    assert settings.STORAGE_BACKEND == "memory"
    assert settings.cors_origins() == ["https://a.example", "https://b.example"]


def test_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_BACKEND", "memory")
    assert load_settings({"STORAGE_BACKEND": "sql"}).STORAGE_BACKEND == "sql"


def test_database_url_wins_over_the_sql_parts() -> None:
    settings = load_settings(
        {"DATABASE_URL": "sqlite:////data/x.db", "SQL_DB_TYPE": "postgresql", "SQL_HOST": "h"}
    )
    assert settings.database_url().database == "/data/x.db"


def test_sql_parts_build_a_quoted_url() -> None:
    settings = load_settings(
        {
            "SQL_DB_TYPE": "postgresql",
            "SQL_HOST": "db.internal",
            "SQL_PORT": "6543",
            "SQL_USER": "svc",
            "SQL_PASSWORD": "p@ss/w:rd",
            "SQL_DATABASE": "items",
        }
    )
    url = settings.database_url()
    assert url.render_as_string(hide_password=False) == (
        "postgresql+psycopg://svc:p%40ss%2Fw%3Ard@db.internal:6543/items"
    )
    assert url.password == "p@ss/w:rd"


def test_the_default_database_is_sqlite_in_the_instance_folder() -> None:
    settings = load_settings({"INSTANCE_PATH": "/srv/instance"})
    assert settings.database_url().render_as_string() == ("sqlite+pysqlite:////srv/instance/app.db")


def test_production_refuses_to_start_without_a_secret_key() -> None:
    settings = app_settings(APP_ENV="production", INSTANCE_PATH="/nonexistent/instance")
    del settings["SECRET_KEY"]
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        create_app(settings)


@pytest.mark.parametrize(
    "keys",
    [
        '{"keys": [{"kty": "oct"}]}',
        '{"keys": [{"kty": "oct", "kid": "s", "use": "sig", "alg": "HS256", "k": "c2hvcnQ"},'
        ' {"kty": "oct", "kid": "e", "use": "enc", "alg": "A256KW", "k": "c2hvcnQ"}]}',
        "not json",
    ],
    ids=["incomplete", "weak", "garbage"],
)
def test_bad_token_keys_stop_the_start_naming_the_setting(keys: str) -> None:
    with pytest.raises(SettingsError, match="TOKEN_KEYS"):
        create_app(app_settings(TOKEN_KEYS=keys))


def test_production_refuses_to_start_without_a_key_set() -> None:
    settings = app_settings(APP_ENV="production", INSTANCE_PATH="/nonexistent/instance")
    del settings["TOKEN_KEYS"]
    with pytest.raises(SettingsError, match="TOKEN_KEYS_FILE"):
        create_app(settings)


def test_production_cookies_are_secure_and_development_ones_need_not_be() -> None:
    production = create_app(app_settings(APP_ENV="production"))
    development = create_app(app_settings(APP_ENV="development"))
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert development.config["SESSION_COOKIE_SECURE"] is False
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_allows_no_cors_origin_unless_configured() -> None:
    assert load_settings({"APP_ENV": "production"}).cors_origins() == []
    assert "http://localhost:3000" in load_settings({"APP_ENV": "development"}).cors_origins()
