"""Page cursors: what is signed reads back, anything else is a 400."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from werkzeug.exceptions import BadRequest

from adapters.http.cursors import PageCursors, cursor_key
from core.seek import Seek

KEY = cursor_key("s" * 32)
PLACE = (datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=UTC), "Zoë 🍎", 7, "0" * 32)


def test_a_signed_place_reads_back_with_its_types_and_direction() -> None:
    cursors = PageCursors(KEY)
    for backward in (False, True):
        cursor = cursors.sign(PLACE, backward=backward, resource="items", scope="{}")
        assert cursors.read(cursor, resource="items", scope="{}") == Seek(PLACE, backward)


@pytest.mark.parametrize(
    ("key", "resource", "scope"),
    [
        (cursor_key("another secret of 32 characters!"), "items", "{}"),
        (KEY, "badges", "{}"),
        (KEY, "items", '{"sort":"-title"}'),
    ],
    ids=["another key", "another resource", "another query"],
)
def test_a_cursor_read_by_another_key_resource_or_query_is_400(
    key: bytes, resource: str, scope: str
) -> None:
    cursor = PageCursors(KEY).sign(PLACE, backward=False, resource="items", scope="{}")
    with pytest.raises(BadRequest):
        PageCursors(key).read(cursor, resource=resource, scope=scope)


def test_the_cursor_key_is_not_the_secret_itself() -> None:
    assert cursor_key("s" * 32) != ("s" * 32).encode()
    assert len(KEY) == 32


def test_a_signed_cursor_of_another_format_version_is_400() -> None:
    cursors = PageCursors(KEY)
    payload = json.dumps([2, "n", [["s", "a"]]]).encode()
    mac = cursors._mac(payload, resource="items", scope="{}")
    encode = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()  # noqa: E731
    with pytest.raises(BadRequest, match="format"):
        cursors.read(f"{encode(payload)}.{encode(mac)}", resource="items", scope="{}")


def test_a_value_no_cursor_can_hold_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        PageCursors(KEY).sign((b"raw",), backward=False, resource="items", scope="{}")


def test_dates_flags_and_decimals_come_back_as_they_were_signed() -> None:
    cursors = PageCursors(KEY)
    place = (date(2026, 1, 31), True, Decimal("10.50"), "id-1")
    signed = cursors.sign(place, backward=False, resource="gadgets", scope="{}")
    assert cursors.read(signed, resource="gadgets", scope="{}").position == place
