"""Deprecated routes: a resource's declared operations and plain views, in answers and document."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from dependency_injector import providers
from flask import Blueprint, Flask

from adapters.http.deprecation import Deprecation, deprecated, send_deprecation_headers
from adapters.http.flask_app import ApiFlask
from adapters.http.openapi import answers, api_spec
from adapters.http.schemas import MessageOut
from adapters.http.views.items import ITEMS
from api import create_app
from api.app import build_container
from api.settings import load_settings
from tests.contract.http_contract import session_token
from tests.helpers import app_settings

SINCE = datetime(2026, 7, 1, tzinfo=UTC)
SUNSET = datetime(2027, 1, 1, 12, tzinfo=UTC)
NOTICE = "https://example.com/changes/items-v2"


def document_of(app: Flask) -> dict[str, Any]:
    body: dict[str, Any] = app.test_client().get("/openapi.json").get_json()
    return body


def deprecated_items_app(deprecations: dict[str, Deprecation]) -> Flask:
    settings = app_settings()
    container = build_container(load_settings(settings))
    declared = dataclasses.replace(ITEMS, deprecations=deprecations)
    container.resources.override(providers.List(providers.Object(declared)))
    return create_app(settings, container=container)


def test_a_deprecated_resource_operation_sends_deprecation_sunset_and_link() -> None:
    app = deprecated_items_app({"list": Deprecation(SINCE, sunset=SUNSET, link=NOTICE)})
    client = app.test_client()
    for answer in (client.get("/api/items"), client.get("/api/items?limit=0")):
        assert answer.headers["Deprecation"] == f"@{int(SINCE.timestamp())}"
        assert answer.headers["Sunset"] == "Fri, 01 Jan 2027 12:00:00 GMT"
        assert answer.headers["Link"] == f'<{NOTICE}>; rel="deprecation"; type="text/html"'
    created = client.post("/api/items", json={"title": "x"}, headers=session_token(client))
    assert created.status_code == 201
    assert not {"Deprecation", "Sunset", "Link"} & set(created.headers.keys())


def test_the_document_marks_a_deprecated_operation_and_its_headers() -> None:
    app = deprecated_items_app({"get": Deprecation(SINCE)})
    paths = document_of(app)["paths"]
    get = paths["/api/items/{item_id}"]["get"]
    assert get["deprecated"] is True
    for response in get["responses"].values():
        assert "Deprecation" in response["headers"] and "Sunset" not in response["headers"]
    assert "deprecated" not in paths["/api/items"]["get"]
    headers = document_of(app)["components"]["headers"]
    assert headers["Deprecation"]["schema"]["pattern"]


def test_a_plain_view_is_deprecated_by_its_decorator_in_answers_and_document() -> None:
    app = ApiFlask("plain")
    spec = api_spec(title="plain", version="1")
    blueprint = Blueprint("plain", __name__)

    @blueprint.get("/old")
    @deprecated(SINCE, sunset=SUNSET)
    @spec.validate(resp=answers(HTTP_200=MessageOut))
    def old() -> MessageOut:
        """A route on its way out."""
        return MessageOut(message="still here")

    app.register_blueprint(blueprint)
    send_deprecation_headers(app)
    answer = app.test_client().get("/old")
    assert answer.headers["Deprecation"] == f"@{int(SINCE.timestamp())}"
    assert answer.headers["Sunset"] == "Fri, 01 Jan 2027 12:00:00 GMT"
    with app.app_context():
        operation = spec.spec["paths"]["/old"]["get"]
    assert operation["deprecated"] is True
    assert {"Deprecation", "Sunset"} <= operation["responses"]["200"]["headers"].keys()


@pytest.mark.parametrize(
    ("since", "sunset"),
    [
        (datetime(2026, 7, 1), None),  # noqa: DTZ001  # the naive date is the point
        (SUNSET, SINCE),
    ],
)
def test_a_deprecation_without_a_zone_or_sunset_before_it_is_refused(
    since: datetime, sunset: datetime | None
) -> None:
    with pytest.raises(ValueError, match="time zone|sunset before"):
        Deprecation(since, sunset=sunset)


def test_a_deprecation_of_an_operation_a_resource_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="deprecations name no operation: \\['lsit'\\]"):
        dataclasses.replace(ITEMS, deprecations={"lsit": Deprecation(SINCE)})
