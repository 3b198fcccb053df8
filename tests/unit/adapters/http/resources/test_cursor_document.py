"""The document tells clients how every listing pages by cursor: parameter, fields, header."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.http.views.items import ITEMS
from api import create_app
from tests.helpers import app_settings


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    body: dict[str, Any] = create_app(app_settings()).test_client().get("/openapi.json").get_json()
    return body


def schema_of(document: dict[str, Any], reference: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    return found


def test_a_listing_declares_its_cursor_parameter_beside_offset(document: dict[str, Any]) -> None:
    listing = document["paths"][ITEMS.prefix]["get"]
    parameters = {each["name"]: each for each in listing["parameters"]}
    assert {"cursor", "offset", "limit"} <= set(parameters)
    assert parameters["cursor"]["required"] is False
    assert "offset" in parameters["cursor"]["description"]


def test_a_listing_answer_declares_next_prev_nullable_totals_and_the_link_header(
    document: dict[str, Any],
) -> None:
    answers = document["paths"][ITEMS.prefix]["get"]["responses"]
    assert "Link" in answers["200"]["headers"]
    assert document["components"]["headers"]["Link"]["required"] is False
    assert "400" in answers
    page = schema_of(document, answers["200"]["content"]["application/json"]["schema"]["$ref"])
    types = {
        name: {each.get("type") for each in field.get("anyOf", [field])}
        for name, field in page["properties"].items()
    }
    assert types["next"] == types["prev"] == {"string", "null"}
    assert types["total"] == types["offset"] == {"integer", "null"}
    assert types["limit"] == {"integer"}
