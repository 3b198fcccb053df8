"""The Idempotency-Key header, a structured-field string, and what a keyed request stands for."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import http_sf
from werkzeug.exceptions import BadRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255  # characters of the key itself, quotes and escapes aside


def read_key(value: str | None, *, max_length: int = MAX_KEY_LENGTH) -> str | None:
    """The key a header value carries, None without one; BadRequest when it is malformed.

    The draft makes the key an sf-string (RFC 8941 §3.3.3: `"..."`, printable ASCII, `\\"`
    and `\\\\` escaped) with no parameters; a bare token, a display string, an empty or an
    overlong key is refused rather than guessed at.
    """
    if value is None:
        return None
    if value != value.strip(" \t"):
        raise BadRequest(f"{HEADER} must be a quoted string with no surrounding spaces")
    try:
        item = http_sf.parse(value.encode("ascii"), tltype="item")
    except (UnicodeEncodeError, http_sf.StructuredFieldError):
        item = None
    key = item[0] if isinstance(item, tuple) else None
    if type(key) is not str or not isinstance(item, tuple) or item[1]:
        raise BadRequest(f'{HEADER} must be a structured-field string, such as "8e03978e-40d5"')
    if not 1 <= len(key) <= max_length:
        raise BadRequest(f"{HEADER} must hold 1 to {max_length} characters")
    return key


def scoped(subject: str, key: str) -> str:
    """Where a caller's key is stored: one caller's key never meets another's."""
    return hashlib.sha256(f"{subject}\0{key}".encode()).hexdigest()


def fingerprint(*, method: str, path: str, body: Any, raw: bytes) -> str:
    """What a request asks for: its method, path and body (JSON read as its value, so the
    spacing or key order of a resent body does not make it another request)."""
    content = raw if body is None else json.dumps(body, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(f"{method} {path}\0".encode())
    digest.update(content if isinstance(content, bytes) else content.encode())
    return digest.hexdigest()
