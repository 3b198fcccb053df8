"""The cases of every resource's HTTP contract that the HTTP layer refuses before any service runs.

A body that is no object, a key given twice, NUL in an id, an edited cursor, a cursor beside an
offset: the resource blueprint answers them before a repository is asked, so they run once per
resource, on memory (where a layer that let one through would answer 404 or 200 instead), not
once per backend.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.contract.http_contract import assert_envelope
from tests.contract.http_resource_contract import ResourceClients
from tests.contract.http_resource_spec import Body, HttpResourceSpec


class HttpResourceRefusalsContract(ResourceClients):
    """What every resource refuses with 422 or 400 whatever the storage behind it."""

    def test_an_id_holding_nul_is_422_on_read_change_and_delete(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec, created: Body
    ) -> None:
        url = f"{self.url_of(resource, created)}%00"
        for answer in (
            client.get(url),
            client.patch(url, json=resource.change(), headers=auth),
            client.delete(url, headers=auth),
        ):
            assert assert_envelope(answer, 422)["details"][0]["field"] == resource.id_parameter
        assert client.get(self.url_of(resource, created)).get_json() == created

    @pytest.mark.parametrize("body", ["null", "[]", "false", "0", '""', "true", '"title"'])
    def test_a_change_whose_body_is_no_object_is_422_and_keeps_the_version(
        self,
        client: FlaskClient,
        auth: dict[str, str],
        resource: HttpResourceSpec,
        created: Body,
        body: str,
    ) -> None:
        url = self.url_of(resource, created)
        answer = client.patch(url, data=body, content_type="application/json", headers=auth)
        assert [detail["field"] for detail in assert_envelope(answer, 422)["details"]] == ["body"]
        assert client.get(url).get_json() == created

    def test_a_change_without_a_body_is_422(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec, created: Body
    ) -> None:
        url = self.url_of(resource, created)
        assert_envelope(client.patch(url, headers=auth), 422)
        assert_envelope(client.patch(url, content_type="application/json", headers=auth), 422)
        assert client.get(url).get_json() == created

    def test_a_change_repeating_a_key_is_422_and_changes_nothing(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec, created: Body
    ) -> None:
        url = self.url_of(resource, created)
        (field, first), (_, second) = (
            next(iter(resource.change().items())),
            next(iter(resource.change().items())),
        )
        body = f'{{"{field}": {json.dumps(first)}, "version": 1, "{field}": {json.dumps(second)}}}'
        answer = client.patch(url, data=body, content_type="application/json", headers=auth)
        assert assert_envelope(answer, 422)["details"][0]["field"] == field
        assert client.get(url).get_json() == created

    @pytest.mark.parametrize(
        "edit",
        [
            lambda cursor: cursor[:-1] + ("A" if cursor[-1] != "A" else "B"),
            lambda cursor: ("A" if cursor[0] != "A" else "B") + cursor[1:],
            lambda cursor: cursor[: len(cursor) // 2],
            lambda cursor: cursor.replace(".", ""),
            lambda cursor: cursor + "." + cursor,
            lambda cursor: "WzIsIm4iLFtdXQ." + cursor.split(".")[1],  # another format's payload
            lambda _: "",
            lambda _: "not a cursor",
            lambda _: "é.é",
            lambda _: "A" * 2048,
        ],
        ids=[
            "signature",
            "payload",
            "cut",
            "joined",
            "doubled",
            "format",
            "empty",
            "text",
            "non-ascii",
            "longest",
        ],
    )
    def test_an_edited_or_made_up_cursor_is_400(
        self,
        client: FlaskClient,
        auth: dict[str, str],
        resource: HttpResourceSpec,
        edit: Any,
    ) -> None:
        for _ in range(3):
            self.make(client, auth, resource)
        cursor = client.get(resource.url, query_string={"limit": 1}).get_json()["next"]
        answer = client.get(resource.url, query_string={"limit": 1, "cursor": edit(cursor)})
        assert "cursor" in assert_envelope(answer, 400)["message"]

    def test_a_cursor_with_an_offset_is_400(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        for _ in range(3):
            self.make(client, auth, resource)
        cursor = client.get(resource.url, query_string={"limit": 1}).get_json()["next"]
        for offset in (0, 1):
            query = {"limit": 1, "offset": offset, "cursor": cursor}
            assert (
                "offset"
                in assert_envelope(client.get(resource.url, query_string=query), 400)["message"]
            )
