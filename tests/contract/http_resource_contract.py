"""The HTTP contract of every resource on the resource blueprint, from its spec alone.

A resource's spec (`http_resource_spec.py`) gives its URL, valid bodies, unique fields, filters
and sorts; each test here runs once per resource, on every backend that runs `HttpSuite`. What
the blueprint refuses before any storage is asked is `http_refusals_contract.py`'s, run once.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.contract.http_contract import HttpClients, assert_envelope, session_token
from tests.contract.http_cursor_contract import HttpCursorContract
from tests.contract.http_resource_spec import RESOURCES, Body, HttpResourceSpec

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T")


def as_ordered(value: Any) -> Any:
    """A body's value as a listing orders it: a timestamp by its instant, because its text leaves
    out a zero fraction of a second ("…:17Z" is earlier than "…:17.360000Z" but sorts after it)."""
    if isinstance(value, str) and TIMESTAMP.match(value):
        return datetime.fromisoformat(value)
    return value


class ResourceClients(HttpClients):
    """The resource under test and a way to create one of it, beside the client and its token."""

    @pytest.fixture(params=RESOURCES, ids=str)
    def resource(self, request: pytest.FixtureRequest) -> HttpResourceSpec:
        spec: HttpResourceSpec = request.param
        return spec

    @pytest.fixture
    def created(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> Body:
        return self.make(client, auth, resource)

    @staticmethod
    def make(
        client: FlaskClient,
        auth: dict[str, str],
        resource: HttpResourceSpec,
        body: Body | None = None,
    ) -> Body:
        response = client.post(resource.url, json=body or resource.new(), headers=auth)
        assert response.status_code == 201, response.get_data(as_text=True)
        answer: Body = response.get_json()
        return answer

    @staticmethod
    def url_of(resource: HttpResourceSpec, entity: Body) -> str:
        return f"{resource.url}/{entity['id']}"


class HttpResourceContract(HttpCursorContract, ResourceClients):
    """List, get, create, change and delete behave the same for every resource and backend."""

    def test_creating_answers_201_with_its_location_and_etag(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        response = client.post(resource.url, json=resource.new(), headers=auth)
        assert response.status_code == 201
        entity = response.get_json()
        assert entity["version"] == 1
        assert response.headers["Location"] == self.url_of(resource, entity)
        assert response.headers["ETag"] == '"v1"'
        assert client.get(response.headers["Location"]).get_json() == entity

    def test_the_owner_is_the_token_subject_unless_nobody_owns_it(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        first = self.make(client, auth, resource)
        second = self.make(client, auth, resource)
        if resource.owned:
            assert first["owner_id"] == second["owner_id"]
        else:
            assert "owner_id" not in first and "owner_id" not in second

    def test_creating_without_a_token_is_401_and_stores_nothing(
        self, client: FlaskClient, resource: HttpResourceSpec
    ) -> None:
        assert_envelope(client.post(resource.url, json=resource.new()), 401)
        assert client.get(resource.url).get_json()["total"] == 0

    def test_a_second_one_repeating_a_unique_field_is_409(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        for field in resource.unique:
            first = self.make(client, auth, resource)
            repeated = resource.new() | {field: first[field]}
            assert_envelope(client.post(resource.url, json=repeated, headers=auth), 409)
        assert client.get(resource.url).get_json()["total"] == len(resource.unique)

    def test_a_missing_one_is_404(self, client: FlaskClient, resource: HttpResourceSpec) -> None:
        assert_envelope(client.get(f"{resource.url}/" + "0" * 32), 404)
        assert_envelope(client.get(f"{resource.url}/" + "z" * 500), 404)

    def test_the_owner_changes_it(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec, created: Body
    ) -> None:
        change = resource.change()
        response = client.patch(
            self.url_of(resource, created), json=change | {"version": 1}, headers=auth
        )
        assert response.status_code == 200
        changed = response.get_json()
        assert changed["version"] == 2
        assert {field: changed[field] for field in change} == change
        assert changed["created_at"] == created["created_at"]

    def test_a_stale_version_is_412_and_changes_nothing(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec, created: Body
    ) -> None:
        url = self.url_of(resource, created)
        current = client.patch(url, json=resource.change(), headers=auth).get_json()
        stale = client.patch(url, json=resource.change() | {"version": 1}, headers=auth)
        assert_envelope(stale, 412)
        assert client.get(url).get_json() == current

    def test_another_caller_may_not_change_or_delete_it(
        self, app: Flask, client: FlaskClient, resource: HttpResourceSpec, created: Body
    ) -> None:
        stranger = app.test_client()
        theirs = session_token(stranger)
        url = self.url_of(resource, created)
        assert_envelope(stranger.patch(url, json=resource.change(), headers=theirs), 403)
        assert_envelope(stranger.delete(url, headers=theirs), 403)
        assert client.get(url).get_json() == created

    def test_the_owner_deletes_it(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec, created: Body
    ) -> None:
        url = self.url_of(resource, created)
        response = client.delete(url, headers=auth)
        assert response.status_code == 204
        assert response.get_data() == b""
        assert_envelope(client.get(url), 404)

    def test_a_listing_pages_with_its_total(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        made = [self.make(client, auth, resource)["id"] for _ in range(3)]
        page = client.get(f"{resource.url}?limit=2&offset=1").get_json()
        assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
        rest = client.get(f"{resource.url}?limit=1&offset=0").get_json()["items"]
        assert sorted([entity["id"] for entity in rest + page["items"]]) == sorted(made)

    def test_each_filter_finds_the_one_it_names(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        wanted, other = self.make(client, auth, resource), self.make(client, auth, resource)
        for parameter, value_of in (resource.filters or {}).items():
            query = {parameter: value_of(wanted)}
            page = client.get(resource.url, query_string=query).get_json()
            assert [entity["id"] for entity in page["items"]] == [wanted["id"]], query
            assert other["id"] != wanted["id"]

    def test_each_sort_orders_the_listing_both_ways(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        made = [self.make(client, auth, resource) for _ in range(3)]
        for key in resource.sorts:
            # Ties are broken by id, ascending, whichever way the key goes.
            up = sorted(made, key=lambda entity: (as_ordered(entity[key]), entity["id"]))
            down = sorted(made, key=lambda entity: entity["id"])
            down.sort(key=lambda entity: as_ordered(entity[key]), reverse=True)
            for sort, expected in ((key, up), (f"-{key}", down)):
                page = client.get(resource.url, query_string={"sort": sort}).get_json()
                assert [entity["id"] for entity in page["items"]] == [
                    entity["id"] for entity in expected
                ], sort

    # A PATCH body is a JSON object; a change to nothing keeps the version.

    @pytest.mark.parametrize("restated", [False, True], ids=["empty", "restating"])
    def test_a_change_to_nothing_answers_it_and_keeps_its_version_and_etag(
        self,
        client: FlaskClient,
        auth: dict[str, str],
        resource: HttpResourceSpec,
        created: Body,
        restated: bool,
    ) -> None:
        url = self.url_of(resource, created)
        etag = client.get(url).headers["ETag"]
        body = resource.same(created) if restated else {}
        answer = client.patch(url, json=body, headers={**auth, "If-Match": etag})
        assert answer.status_code == 200
        assert answer.get_json() == created
        assert answer.headers["ETag"] == etag
        assert client.get(url).get_json() == created

    def test_a_change_to_nothing_with_a_stale_version_is_still_412(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec, created: Body
    ) -> None:
        url = self.url_of(resource, created)
        assert_envelope(client.patch(url, json={"version": 2}, headers=auth), 412)
        assert_envelope(client.patch(url, json={}, headers={**auth, "If-Match": '"v2"'}), 412)
