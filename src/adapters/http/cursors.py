"""Page cursors: a listing's place, signed so a client can hand it back but not forge or move it.

A cursor is `<payload>.<mac>` in base64url: the payload holds the format version, the direction
and the boundary entity's sort key values (its id last); the HMAC-SHA256 covers the payload, the
resource and the query's filters and sort, so a cursor from another listing, another filter,
another sort or another signing key is refused, like any edited one. The values are readable
(they are what the page showed), never trusted unsigned.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.exceptions import BadRequest

from core.seek import Seek

VERSION = 1
#: Keys the cursor MAC from SECRET_KEY for this purpose alone, so no other signature can pass.
PURPOSE = b"hexapi page cursor v1"
#: The longest cursor read: more than any place a sort of 80-character titles can hold.
MAX_LENGTH = 2048
NEXT, PREVIOUS = "n", "p"


def cursor_key(secret: str | bytes) -> bytes:
    """The signing key of cursors, derived from the app's secret with the purpose label."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, PURPOSE, hashlib.sha256).digest()


def _typed(value: Any) -> list[Any]:
    if isinstance(value, datetime):
        return ["t", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, Decimal):
        return ["m", str(value)]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, int) and not isinstance(value, bool):
        return ["i", value]
    raise TypeError(f"a sort key value a cursor cannot hold: {type(value).__name__}")


def _untyped(pair: Any) -> Any:
    kind, value = pair  # anything else is a ValueError, refused like any bad cursor
    if kind == "t" and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("naive time")
        return moment
    if kind == "d" and isinstance(value, str):
        return date.fromisoformat(value)
    if kind == "b" and isinstance(value, bool):
        return value
    if kind == "m" and isinstance(value, str):
        return _decimal(value)
    if kind == "s" and isinstance(value, str):
        return value
    if kind == "i" and isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError("unknown value")


def _decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError("not a decimal") from error
    if not number.is_finite():
        raise ValueError("not a finite decimal")
    return number


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # Base64 has several spellings of some values (the last digit's unused bits): one is read,
    # so an edited cursor never passes as the same one.
    if _b64(raw) != text:
        raise ValueError("not the canonical spelling")
    return raw


class PageCursors:
    """Signs the places of pages and reads them back, for one signing key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, payload: bytes, *, resource: str, scope: str) -> bytes:
        message = b"\0".join((resource.encode(), scope.encode(), payload))
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def sign(self, position: tuple[Any, ...], *, backward: bool, resource: str, scope: str) -> str:
        """The cursor of a page after (or, `backward`, before) `position` in this listing."""
        body = [VERSION, PREVIOUS if backward else NEXT, [_typed(each) for each in position]]
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._mac(payload, resource=resource, scope=scope))}"

    def read(self, cursor: str, *, resource: str, scope: str) -> Seek:
        """The seek a cursor of this listing names; 400 for any other, edited or unknown one."""
        refused = BadRequest("invalid cursor: it was not issued for this listing")
        if len(cursor) > MAX_LENGTH or cursor.count(".") != 1:
            raise refused
        encoded, mac = cursor.split(".")
        try:
            payload, signature = _unb64(encoded), _unb64(mac)
        except (binascii.Error, ValueError):
            raise refused from None
        expected = self._mac(payload, resource=resource, scope=scope)
        if not hmac.compare_digest(signature, expected):
            raise refused
        try:
            version, direction, values = json.loads(payload)
            if version != VERSION or direction not in (NEXT, PREVIOUS):
                raise ValueError("another format")
            position = tuple(_untyped(each) for each in values)
        except (ValueError, TypeError):
            raise BadRequest("invalid cursor: its format is no longer read") from None
        return Seek(position, backward=direction == PREVIOUS)
