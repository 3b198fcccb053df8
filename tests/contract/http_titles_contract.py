"""The HTTP suite for titles: one rule, in the core, after trimming and normalisation."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.contract.http_contract import assert_envelope, session_token
from tests.contract.http_input_contract import OwnedItem


class HttpTitlesContract(OwnedItem):
    """Titles are trimmed, NFC, 1 to 80 visible characters, on every backend."""

    def test_a_title_of_80_characters_inside_spaces_is_accepted_trimmed(
        self, client: FlaskClient
    ) -> None:
        auth = session_token(client)
        created = client.post("/api/items", json={"title": "  " + "x" * 80 + "  "}, headers=auth)
        assert created.status_code == 201, created.get_data(as_text=True)
        assert created.get_json()["title"] == "x" * 80
        changed = client.patch(
            created.headers["Location"], json={"title": " " + "y" * 80 + " "}, headers=auth
        )
        assert changed.get_json()["title"] == "y" * 80
        too_long = client.post("/api/items", json={"title": "z" * 81}, headers=auth)
        assert assert_envelope(too_long, 422)["details"] == [
            {"field": "title", "message": "must be 1 to 80 characters"}
        ]

    def test_look_alike_spellings_are_one_title(self, client: FlaskClient) -> None:
        auth = session_token(client)
        created = client.post("/api/items", json={"title": "Cafe\u0301"}, headers=auth)
        assert created.get_json()["title"] == "Caf\u00e9"
        assert_envelope(client.post("/api/items", json={"title": "Caf\u00e9"}, headers=auth), 409)
        found = client.get("/api/items", query_string={"title": "Cafe\u0301"}).get_json()
        assert [item["id"] for item in found["items"]] == [created.get_json()["id"]]

    @pytest.mark.parametrize(
        "title", ["zero\u200bwidth", "\ufeffbom", "evil\u202etxt", "tag\U000e0041", "a\u200db"]
    )
    def test_a_title_with_invisible_characters_is_422_and_stores_nothing(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], title: str
    ) -> None:
        auth, created = item
        refused = client.post("/api/items", json={"title": title}, headers=auth)
        assert [detail["field"] for detail in assert_envelope(refused, 422)["details"]] == ["title"]
        url = f"/api/items/{created['id']}"
        assert_envelope(client.patch(url, json={"title": title}, headers=auth), 422)
        assert client.get("/api/items").get_json()["items"] == [created]

    def test_emoji_sequences_make_valid_titles(self, client: FlaskClient) -> None:
        auth = session_token(client)
        for title in (
            "\U0001f468\u200d\U0001f469\u200d\U0001f467 family",
            "\U0001f3f3\ufe0f\u200d\U0001f308",
            "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f England",
        ):
            created = client.post("/api/items", json={"title": title}, headers=auth)
            assert created.status_code == 201, created.get_data(as_text=True)
            assert client.get(created.headers["Location"]).get_json()["title"] == title
