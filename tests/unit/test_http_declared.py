"""The HTTP resource contracts on every declared resource in memory (mongomock: integration)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.contract.declared_clients import DeclaredClients, DeclaredOverHttp, declared_app
from tests.contract.declared_specs import HTTP_SPECS
from tests.contract.http_contract import HttpClients, assert_envelope
from tests.contract.http_refusals_contract import HttpResourceRefusalsContract
from tests.contract.http_resource_spec import HttpResourceSpec
from tests.helpers import app_settings
from tests.shared_apps import SharedApp

# What pydantic alone would read as seconds since 1970, or as the other of date and timestamp.
NOT_TEXT_OF_ITS_FORMAT = {
    "date": [0, "0", "86400", 1.5, "2026-12-01T00:00:00Z", "20261201", "2026-12-01 "],
    "date-time": [0, "0", "1700000000", 86400.5, "2026-12-01", "2026-12-01T10"],
}
DATED = [each for each in HTTP_SPECS if each.dated]


class TestDeclaredOverHttpInMemory(DeclaredOverHttp, HttpResourceRefusalsContract):
    """STORAGE_BACKEND=memory; and here only, what the blueprint refuses before any storage."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return declared_app(app_settings(STORAGE_BACKEND="memory"))


class TestDatesAndTimestampsAreText(SharedApp, DeclaredClients, HttpClients):
    """A date or timestamp is RFC 3339 text, in a body and a filter alike: never a number."""

    @pytest.fixture(scope="class")
    @classmethod
    def shared_app(cls) -> Flask:
        return declared_app(app_settings(STORAGE_BACKEND="memory"))

    @pytest.fixture(params=DATED, ids=str)
    def resource(self, request: pytest.FixtureRequest) -> HttpResourceSpec:
        spec: HttpResourceSpec = request.param
        return spec

    def test_a_body_giving_one_otherwise_is_422_and_stores_nothing(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        body = resource.new()
        for field in (name for name in resource.dated or {} if name in body):
            for value in NOT_TEXT_OF_ITS_FORMAT[(resource.dated or {})[field]]:
                answer = client.post(resource.url, json=body | {field: value}, headers=auth)
                details = assert_envelope(answer, 422)["details"]
                assert [each["field"] for each in details] == [field], value
        assert client.get(resource.url).get_json()["total"] == 0
        assert client.post(resource.url, json=body, headers=auth).status_code == 201

    def test_a_filter_giving_one_otherwise_is_422(
        self, client: FlaskClient, resource: HttpResourceSpec
    ) -> None:
        filters = [name for name in resource.dated or {} if name not in resource.new()]
        assert filters, "a dated field of the test resources is filtered"
        for param in filters:
            for value in NOT_TEXT_OF_ITS_FORMAT[(resource.dated or {})[param]]:
                answer = client.get(resource.url, query_string={param: str(value)})
                details = assert_envelope(answer, 422)["details"]
                assert [each["field"] for each in details] == [param], value
