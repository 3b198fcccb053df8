"""A declared resource nobody owns documents the 403 its create answers without the permission."""

from __future__ import annotations

from flask import Flask

from tests.contract.declared_clients import declared_app
from tests.contract.http_contract import assert_envelope, session_token
from tests.helpers import app_settings


def test_creating_what_nobody_owns_documents_and_answers_403() -> None:
    app: Flask = declared_app(app_settings())
    client = app.test_client()
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "403" in paths["/api/labels"]["post"]["responses"]  # written with labels:write
    assert "403" not in paths["/api/gadgets"]["post"]["responses"]  # owned by its creator
    refused = client.post("/api/labels", json={"text": "x"}, headers=session_token(client))
    assert assert_envelope(refused, 403)["message"] == "writing labels needs labels:write"
