"""Settings that would only fail at the first request are refused at start-up, by name."""

from __future__ import annotations

import sys

import pytest

from api.settings import SettingsError, load_settings

MISSING_DRIVERS = [
    ("postgresql+psycopg://app@db/app", "psycopg", "pip install 'hexapi[postgresql]'"),
    ("mysql+pymysql://app@db/app", "pymysql", "pip install 'hexapi[mysql]'"),
]


@pytest.mark.parametrize(("url", "module", "fix"), MISSING_DRIVERS)
def test_a_database_url_whose_driver_is_missing_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, url: str, module: str, fix: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if the extra were not installed
    with pytest.raises(SettingsError, match="DATABASE_URL") as refused:
        load_settings({"DATABASE_URL": url})
    assert fix in str(refused.value)


def test_sql_parts_whose_driver_is_missing_name_sql_db_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(SettingsError, match="SQL_DB_TYPE: .*hexapi\\[postgresql\\]"):
        load_settings({"SQL_DB_TYPE": "postgresql", "SQL_HOST": "db"})


def test_a_driver_the_extras_do_not_install_is_named_with_the_one_they_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)
    with pytest.raises(SettingsError, match="use postgresql\\+psycopg:// and pip install"):
        load_settings({"DATABASE_URL": "postgresql+asyncpg://app@db/app"})


def test_a_database_url_that_is_no_url_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL: not a SQLAlchemy URL"):
        load_settings({"DATABASE_URL": "db.internal:5432"})


def test_a_missing_driver_does_not_matter_when_storage_is_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    settings = load_settings(
        {"STORAGE_BACKEND": "memory", "DATABASE_URL": "postgresql+psycopg://db/a"}
    )
    assert settings.STORAGE_BACKEND == "memory"


def test_a_redis_url_with_a_bad_port_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="REDIS_URL: .*Port"):
        load_settings({"REDIS_URL": "redis://cache.internal:sixty/0"})
