"""A declared resource whose reads need a token: 401 without one, and the document says so."""

from __future__ import annotations

from dataclasses import replace

import pytest
from dependency_injector import providers
from flask import Flask

from adapters.http.resources.derived import http_resource
from tests.contract.declared import LABELS, LABELS_TYPE
from tests.contract.declared_clients import declared_app
from tests.contract.http_contract import assert_envelope, session_token
from tests.helpers import app_settings

PRIVATE = replace(LABELS_TYPE, public_reads=False)


@pytest.fixture
def app() -> Flask:
    private = replace(LABELS, declared=PRIVATE, http=http_resource(PRIVATE))
    return declared_app(app_settings(), catalogue=providers.Object((private,)))


def test_listing_and_reading_need_a_token(app: Flask) -> None:
    client = app.test_client()
    assert_envelope(client.get("/api/labels"), 401)
    assert_envelope(client.get("/api/labels/" + "0" * 32), 401)
    auth = session_token(client)
    assert client.get("/api/labels", headers=auth).get_json()["total"] == 0
    assert_envelope(client.get("/api/labels/" + "0" * 32, headers=auth), 404)


def test_the_document_marks_the_reads_as_needing_a_token(app: Flask) -> None:
    document = app.test_client().get("/openapi.json").get_json()
    listing = document["paths"]["/api/labels"]["get"]
    assert listing["security"] and "401" in listing["responses"]
