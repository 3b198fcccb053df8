"""The root container wires one container per layer from the settings alone."""

from __future__ import annotations

from dependency_injector import providers

from adapters.http.views.items import ITEMS
from api import create_app
from api.app import build_container
from api.catalogue import RESOURCES
from api.container import Container
from api.settings import load_settings
from core.errors import Unavailable
from tests.helpers import app_settings


def memory_container() -> Container:
    return build_container(load_settings(app_settings(STORAGE_BACKEND="memory")))


def test_the_root_names_each_layers_own_providers() -> None:
    container = memory_container()
    assert container.item_service is container.services.item_service
    assert container.units is container.storage.units
    assert container.token_service is container.auth.token_service
    assert container.readiness_checks is container.http.readiness_checks


def test_a_service_is_built_from_the_ports_of_the_other_layers() -> None:
    container = memory_container()
    assert container.item_service() is container.services.item_service()
    assert container.storage.memory_store() is container.memory_store()


def test_an_override_at_the_root_reaches_the_layer_that_uses_it() -> None:
    container = memory_container()

    def down() -> None:
        raise Unavailable("storage is down")

    with container.storage_check.override(providers.Object(down)):
        assert container.readiness_checks()["storage"] is down
    assert container.readiness_checks()["storage"] is not down


def test_the_settings_are_the_one_configuration_source() -> None:
    settings = load_settings(app_settings(STORAGE_BACKEND="memory", PASSWORD_MIN_LENGTH=20))
    container = build_container(settings)
    assert container.settings() is settings
    assert container.auth.password_policy().min_length == 20
    assert not hasattr(container, "config")


def test_an_app_given_a_container_takes_the_containers_settings() -> None:
    settings = load_settings(app_settings(STORAGE_BACKEND="memory", MAX_CONTENT_LENGTH=4096))
    app = create_app(container=build_container(settings))
    assert app.config["MAX_CONTENT_LENGTH"] == 4096
    assert app.extensions["container"].settings() is settings


def test_the_served_resources_are_registered_in_the_http_layer() -> None:
    """Items, then each resource of the catalogue, in its order."""
    assert memory_container().resources() == [ITEMS, *(each.http for each in RESOURCES)]
