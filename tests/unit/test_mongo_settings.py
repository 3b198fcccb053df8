"""Choosing Mongo by configuration alone: settings, the container's adapters, the CLI's indexes."""

from __future__ import annotations

import pytest

from adapters.mongo.session_cache import MongoSessionCache
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from api import create_app
from api.settings import SettingsError, load_settings
from tests.helpers import app_settings


@pytest.mark.parametrize(
    "overrides",
    [{"STORAGE_BACKEND": "mongo"}, {"SESSION_TYPE": "mongodb", "STORAGE_BACKEND": "memory"}],
)
def test_mongo_without_a_uri_names_the_missing_variable(overrides: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="MONGODB_URI"):
        load_settings(overrides)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MONGODB_URI", "http://db:27017"),
        ("MONGODB_URI", "localhost:27017"),
        ("MONGODB_URI", "mongodb://"),
        ("MONGODB_URI", "mongodb://db:99999"),
        ("MONGODB_URI", "mongodb://db/?retryWritez=true"),
        ("MONGODB_DATABASE", "my.db"),
        ("MONGODB_DATABASE", ""),
        ("MONGODB_TIMEOUT_MS", "0"),
    ],
)
def test_a_bad_mongo_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


@pytest.mark.parametrize(
    "uri", ["mysql://svc:hunter2@db", "mongodb://svc:hunter2@db/?bogus=1", "mongodb://svc:hunter2@"]
)
def test_a_bad_uri_is_refused_without_echoing_its_password(uri: str) -> None:
    with pytest.raises(SettingsError, match="MONGODB_URI") as refused:
        load_settings({"MONGODB_URI": uri})
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize(
    "uri",
    ["mongodb://db1:27017,db2/?replicaSet=rs0", "mongodb+srv://u:p@c.example.net", "mongomock://"],
)
def test_every_supported_uri_is_accepted(uri: str) -> None:
    settings = load_settings({"STORAGE_BACKEND": "mongo", "MONGODB_URI": uri})
    assert (settings.MONGODB_URI, settings.MONGODB_DATABASE) == (uri, "app")


def test_storage_backend_mongo_selects_the_mongo_adapters_and_connects_to_nothing() -> None:
    app = create_app(
        app_settings(
            STORAGE_BACKEND="mongo",
            SESSION_TYPE="mongodb",
            MONGODB_URI="mongodb://db.invalid:27017",
            MONGODB_DATABASE="shop",
        )
    )
    container = app.extensions["container"]
    storage = container.mongo_storage()
    assert isinstance(storage, MongoStorage) and storage.database_name == "shop"
    assert isinstance(container.unit_of_work()(), MongoUnitOfWork)
    assert isinstance(container.session_cache(), MongoSessionCache)
    assert not storage.opened  # creating the app and its providers opened no client


def test_db_upgrade_creates_the_mongo_indexes() -> None:
    app = create_app(app_settings(STORAGE_BACKEND="mongo", MONGODB_URI="mongomock://"))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "items.title_unique" in result.output and "users.username_key_unique" in result.output
    database = app.extensions["container"].mongo_storage().raw_database()
    assert database["items"].index_information()["title_unique"]["unique"] is True


def test_db_create_with_mongo_creates_the_indexes_too() -> None:
    app = create_app(app_settings(STORAGE_BACKEND="mongo", MONGODB_URI="mongomock://"))
    result = app.test_cli_runner().invoke(args=["db", "create"])
    assert result.exit_code == 0, result.output
    assert "indexes of app" in result.output
