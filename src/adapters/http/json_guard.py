"""The API speaks JSON only: a body must be JSON (415), well-formed (400), its keys unique (422)."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from core.errors import ValidationError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """One JSON object as a dict; ValidationError when a key is repeated (RFC 7493 §2.3)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValidationError("invalid request", {key: "must be given once"})
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=unique_keys)


class UniqueKeysJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing an object that repeats a key instead of keeping its last value.

    "Last one wins" would let a proxy or a validator that reads the first value see another
    body than the service stores.
    """

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON text; ValidationError (422) when an object repeats a key."""
        if kwargs:
            return super().loads(s, **{"object_pairs_hook": unique_keys, **kwargs})
        # json.loads(s, object_pairs_hook=...) builds a new decoder at every call; this is what
        # it does, with one decoder made once.
        text = s.decode(json.detect_encoding(s), "surrogatepass") if isinstance(s, bytes) else s
        if text.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)


def require_json_bodies(app: Flask) -> None:
    """Check every body before any view runs; the parsed JSON is cached for the view."""
    app.json = UniqueKeysJSONProvider(app)

    @app.before_request
    def check_body() -> None:
        if request.method not in BODY_METHODS or not _has_body():
            return
        if not request.is_json:
            raise UnsupportedMediaType("the request body must be JSON (application/json)")
        try:
            request.get_json()
        except BadRequest:
            raise BadRequest("the request body is not valid JSON") from None
        except RecursionError:
            raise BadRequest("the request body is nested too deeply") from None


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"
