"""How the HTTP contracts reach a declared resource: the app with it, and a writer's token."""

from __future__ import annotations

from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient

from adapters.http.services import EXTENSION_KEY
from api import create_app
from api.app import build_container
from api.settings import load_settings
from tests.contract.declared_specs import DECLARED, HTTP_SPECS
from tests.contract.http_conditional_contract import HttpConditionalContract
from tests.contract.http_contract import session_token
from tests.contract.http_precondition_contract import HttpPreconditionContract
from tests.contract.http_resource_contract import HttpResourceContract
from tests.contract.http_resource_spec import HttpResourceSpec
from tests.helpers import unique
from tests.shared_apps import SharedApp

PASSWORD = "correct horse battery staple"


def declared_app(settings: dict[str, Any], **overrides: Any) -> Flask:
    """The app with the declared resources in its catalogue; `overrides` replace providers."""
    container = build_container(load_settings(settings))
    container.catalogue.override(providers.Object(DECLARED))
    for name, provider in overrides.items():
        getattr(container, name).override(provider)
    return create_app(settings, container=container)


class DeclaredClients:
    """Each declared resource in turn; its writer holds the permission it needs, if any."""

    @pytest.fixture(params=HTTP_SPECS, ids=str)
    def resource(self, request: pytest.FixtureRequest) -> HttpResourceSpec:
        spec: HttpResourceSpec = request.param
        return spec

    @pytest.fixture
    def auth(self, app: Flask, client: FlaskClient, resource: HttpResourceSpec) -> dict[str, str]:
        if not resource.permission:
            return session_token(client)
        name = unique("writer")
        users = app.extensions[EXTENSION_KEY].user_service()
        users.register(
            username=name, password=PASSWORD, permissions=frozenset({resource.permission})
        )
        answer = client.post("/api/auth/token", json={"username": name, "password": PASSWORD})
        return {"Authorization": f"Bearer {answer.get_json()['token']}"}


class DeclaredOverHttp(
    SharedApp,
    DeclaredClients,
    HttpResourceContract,
    HttpConditionalContract,
    HttpPreconditionContract,
):
    """List, get, create, change and delete of each declared resource on `shared_app`."""
