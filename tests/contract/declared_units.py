"""How the Repository contract reaches the declared resources: their container, fresh units."""

from __future__ import annotations

import pytest
from dependency_injector import providers

from api.app import build_container
from api.container import Container
from api.settings import load_settings
from core.ports.unit_of_work import UnitOfWorkFactory
from tests.contract.declared_specs import DECLARED, REPOSITORY_SPECS
from tests.contract.resource_spec import ResourceSpec
from tests.helpers import app_settings


def declared_container(**settings: str) -> Container:
    """The backend's container as the app builds it, with the declared resources."""
    container = build_container(load_settings(app_settings(**settings)))
    container.catalogue.override(providers.Object(DECLARED))
    return container


def fresh_units(container: Container) -> UnitOfWorkFactory:
    """The container's units of work on empty stores: its singletons rebuilt, as a new one's."""
    container.reset_singletons()
    units: UnitOfWorkFactory = container.unit_of_work()
    return units


class DeclaredSpecs:
    """Each declared resource in turn, on the class's `container`."""

    @pytest.fixture(params=REPOSITORY_SPECS, ids=str)
    def spec(self, request: pytest.FixtureRequest) -> ResourceSpec:
        return request.param  # type: ignore[no-any-return]

    @pytest.fixture
    def uow(self, container: Container) -> UnitOfWorkFactory:
        return fresh_units(container)
