"""An action beyond the five operations on a test resource: archiving a gadget.

docs/scaffold.md shows the same for a generated resource, and tests/integration/
test_scaffold_clone.py runs it there.

The service gains the use case (a subclass of the generic one), the HTTP resource one route.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from dependency_injector import providers
from flask import Blueprint, Flask
from spectree import SpecTree

from adapters.http.auth import current_principal, requires_auth
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.resources.declaration import HttpResource
from adapters.http.services import services
from core.principal import Principal
from core.services.resources import ResourceService
from tests.contract.declared import GADGETS, LABELS, Gadget, GadgetQuery
from tests.contract.declared_clients import declared_app
from tests.contract.http_contract import assert_envelope, session_token
from tests.helpers import app_settings


class GadgetService(ResourceService[Gadget, GadgetQuery]):
    """Gadgets, which their owner may archive."""

    def archive(self, gadget_id: str, *, actor: Principal) -> Gadget:
        """The gadget, inactive from now on."""
        return self.update(gadget_id, actor=actor, active=False)


def archive_route(spec: SpecTree, blueprint: Blueprint, resource: HttpResource[Any]) -> None:
    """`POST /api/gadgets/<gadget_id>/archive`."""

    @blueprint.post("/<gadget_id>/archive")
    @requires_auth
    @spec.validate(
        resp=answers(401, 403, 404, HTTP_200=resource.out),
        tags=[resource.name],
        security=BEARER_AUTH,
    )
    def archive_gadget(gadget_id: str) -> Any:
        """Archive a gadget: it stays, inactive."""
        service: GadgetService = resource.service_of(services())  # type: ignore[assignment]
        return resource.out.model_validate(service.archive(gadget_id, actor=current_principal()))


ARCHIVABLE = replace(
    GADGETS, service=GadgetService, http=replace(GADGETS.http, actions=(archive_route,))
)


@pytest.fixture
def app() -> Flask:
    return declared_app(app_settings(), catalogue=providers.Object((ARCHIVABLE, LABELS)))


def test_the_owner_archives_a_gadget_and_it_stays_inactive(app: Flask) -> None:
    client = app.test_client()
    auth = session_token(client)
    body = {"name": "drill", "rank": 3, "kind": "tool", "tags": [], "due": "2026-01-31"}
    made = client.post("/api/gadgets", json=body, headers=auth).get_json()
    archived = client.post(f"/api/gadgets/{made['id']}/archive", headers=auth)
    assert archived.status_code == 200
    assert (archived.get_json()["active"], archived.get_json()["version"]) == (False, 2)
    assert client.get(f"/api/gadgets/{made['id']}").get_json()["active"] is False


def test_only_the_owner_may_archive_and_the_document_shows_the_action(app: Flask) -> None:
    client, stranger = app.test_client(), app.test_client()
    body = {"name": "saw", "rank": 1, "kind": "tool", "tags": [], "due": "2026-01-31"}
    made = client.post("/api/gadgets", json=body, headers=session_token(client)).get_json()
    url = f"/api/gadgets/{made['id']}/archive"
    assert_envelope(stranger.post(url, headers=session_token(stranger)), 403)
    assert_envelope(client.post(url), 401)
    document = client.get("/openapi.json").get_json()
    assert "post" in document["paths"]["/api/gadgets/{gadget_id}/archive"]
