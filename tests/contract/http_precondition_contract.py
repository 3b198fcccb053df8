"""The HTTP suite for hostile conditional headers: only the tags the service issues match."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.contract.http_contract import assert_envelope, session_token
from tests.contract.http_input_contract import OwnedItem

MANY_DIGITS = '"v' + "1" * 5000 + '"'
NEVER_ISSUED = [
    '""',
    '"v¹"',
    '"v١"',  # an Arabic-Indic digit one: a digit to str.isdigit, not to us
    MANY_DIGITS,
    '"v01"',
    '"v0"',
    "v1",
    'W/"v1"',
    '"v1',
    '"v1" "v1"',
    '*, "v1"',
    "",
    " ",
    '"v1"; x',
]


class HttpPreconditionContract(OwnedItem):
    """Malformed or foreign `If-Match` / `If-None-Match` headers, the same on every backend."""

    @pytest.mark.parametrize("tag", NEVER_ISSUED)
    def test_an_if_match_that_names_no_issued_tag_is_412_on_change_and_delete(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        headers = {**auth, "If-Match": tag}
        assert_envelope(client.patch(url, json={"title": "taken over"}, headers=headers), 412)
        assert_envelope(client.delete(url, headers=headers), 412)
        assert client.get(url).get_json() == created

    @pytest.mark.parametrize("tag", ['"v1"', ' "v1" ', '"v7", "v1"', ', "v1",', 'W/"v1", "v1"'])
    def test_an_if_match_list_naming_the_current_tag_writes(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        changed = client.patch(url, json={"title": "renamed"}, headers={**auth, "If-Match": tag})
        assert changed.status_code == 200, changed.get_data(as_text=True)
        assert changed.get_json()["version"] == 2

    @pytest.mark.parametrize("tag", ['"v1"', 'W/"v1"', '"v3", W/"v1"', "*"])
    def test_if_none_match_compares_weakly_and_answers_304(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        _, created = item
        answer = client.get(f"/api/items/{created['id']}", headers={"If-None-Match": tag})
        assert answer.status_code == 304

    @pytest.mark.parametrize("tag", ["v1", '"v01"', MANY_DIGITS, '"v¹"', "", '"v1'])
    def test_if_none_match_naming_no_issued_tag_answers_the_item(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        _, created = item
        answer = client.get(f"/api/items/{created['id']}", headers={"If-None-Match": tag})
        assert answer.status_code == 200
        assert answer.get_json() == created

    @pytest.mark.parametrize("tag", ['"v¹"', MANY_DIGITS, '""'])
    def test_a_stranger_with_a_malformed_if_match_is_refused_403_not_500(
        self, app: Flask, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        _, created = item
        stranger = app.test_client()
        headers = {**session_token(stranger), "If-Match": tag}
        url = f"/api/items/{created['id']}"
        assert_envelope(stranger.patch(url, json={"title": "mine now"}, headers=headers), 403)
        assert_envelope(stranger.delete(url, headers=headers), 403)
        assert stranger.get(url).get_json() == created
