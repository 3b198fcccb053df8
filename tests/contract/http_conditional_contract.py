"""The HTTP suite for conditional requests: ETag, If-None-Match, If-Match, Location.

Runs for every resource of `http_resource_spec.RESOURCES`.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.contract.http_contract import assert_envelope
from tests.contract.http_resource_contract import ResourceClients
from tests.contract.http_resource_spec import HttpResourceSpec


class HttpConditionalContract(ResourceClients):
    """Validators and preconditions behave the same on every backend."""

    @pytest.fixture
    def posted(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> tuple[dict[str, str], Any]:
        response = client.post(resource.url, json=resource.new(), headers=auth)
        assert response.status_code == 201
        return auth, response

    def test_each_one_carries_an_etag_that_changes_with_each_write(
        self, client: FlaskClient, resource: HttpResourceSpec, posted: tuple[dict[str, str], Any]
    ) -> None:
        auth, response = posted
        url, first = response.headers["Location"], response.headers["ETag"]
        assert client.get(url).headers["ETag"] == first
        changed = client.patch(url, json=resource.change(), headers=auth)
        assert changed.headers["ETag"] not in (first, None)
        assert client.get(url).headers["ETag"] == changed.headers["ETag"]

    def test_if_none_match_with_the_current_etag_is_304(
        self, client: FlaskClient, posted: tuple[dict[str, str], Any]
    ) -> None:
        _, response = posted
        url, etag = response.headers["Location"], response.headers["ETag"]
        unchanged = client.get(url, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and unchanged.get_data() == b""
        assert unchanged.headers["ETag"] == etag
        assert client.get(url, headers={"If-None-Match": '"v99"'}).status_code == 200
        assert client.get(url, headers={"If-None-Match": "*"}).status_code == 304

    def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(
        self, client: FlaskClient, resource: HttpResourceSpec, posted: tuple[dict[str, str], Any]
    ) -> None:
        auth, response = posted
        url, stale = response.headers["Location"], response.headers["ETag"]
        current = client.patch(url, json=resource.change(), headers=auth).get_json()
        refused = client.patch(url, json=resource.change(), headers={**auth, "If-Match": stale})
        assert_envelope(refused, 412)
        assert_envelope(client.delete(url, headers={**auth, "If-Match": stale}), 412)
        assert client.get(url).get_json() == current

    def test_if_match_with_the_current_etag_writes(
        self, client: FlaskClient, resource: HttpResourceSpec, posted: tuple[dict[str, str], Any]
    ) -> None:
        auth, response = posted
        url, etag = response.headers["Location"], response.headers["ETag"]
        changed = client.patch(url, json=resource.change(), headers={**auth, "If-Match": etag})
        assert changed.status_code == 200
        listed = f'"v0", {changed.headers["ETag"]}'
        assert client.delete(url, headers={**auth, "If-Match": listed}).status_code == 204

    @pytest.mark.parametrize("tag", ['"not-ours"', 'W/"v1"', '"v1x"'])
    def test_if_match_with_a_tag_never_issued_is_412(
        self,
        client: FlaskClient,
        resource: HttpResourceSpec,
        posted: tuple[dict[str, str], Any],
        tag: str,
    ) -> None:
        auth, response = posted
        refused = client.patch(
            response.headers["Location"], json=resource.change(), headers={**auth, "If-Match": tag}
        )
        assert_envelope(refused, 412)

    def test_if_match_star_and_no_header_write_unconditionally(
        self, client: FlaskClient, resource: HttpResourceSpec, posted: tuple[dict[str, str], Any]
    ) -> None:
        auth, response = posted
        url = response.headers["Location"]
        assert (
            client.patch(url, json=resource.change(), headers={**auth, "If-Match": "*"}).status_code
            == 200
        )
        assert client.patch(url, json=resource.change(), headers=auth).status_code == 200

    def test_if_match_and_body_version_must_agree(
        self, client: FlaskClient, resource: HttpResourceSpec, posted: tuple[dict[str, str], Any]
    ) -> None:
        auth, response = posted
        url, etag = response.headers["Location"], response.headers["ETag"]
        disagreeing = client.patch(
            url, json=resource.change() | {"version": 5}, headers={**auth, "If-Match": etag}
        )
        assert_envelope(disagreeing, 412)
