"""The headers the document declares: each one once, with its meaning and schema."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.http.idempotency.keys import MAX_KEY_LENGTH


@dataclass(frozen=True)
class Header:
    """A response header, with its schema; `required` when every answer that names it sends it."""

    description: str
    schema: Mapping[str, Any]
    required: bool = True


_INTEGER = {"type": "integer", "minimum": 0}
_STRING = {"type": "string"}
# Sent on every answer of a rate-limited route while rate limiting is on, so never required.
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
RESPONSE_HEADERS: dict[str, Header] = {
    "ETag": Header("The item's strong entity tag, for If-Match and If-None-Match.", _STRING),
    "Location": Header("The path of the resource just created.", _STRING),
    "Link": Header(
        'RFC 8288 links: the next and previous pages (rel="next", rel="prev"), when there are, '
        'and a deprecated operation\'s notice (rel="deprecation", RFC 9745).',
        _STRING,
        required=False,
    ),
    "Retry-After": Header("Seconds to wait before asking again.", _INTEGER),
    "X-Request-ID": Header("The request's id in the service's log.", _STRING),
    "X-RateLimit-Limit": Header("Requests allowed in the window.", _INTEGER, required=False),
    "X-RateLimit-Remaining": Header("Requests left in the window.", _INTEGER, required=False),
    "X-RateLimit-Reset": Header("When the window ends (Unix seconds).", _INTEGER, required=False),
    "Idempotent-Replayed": Header(
        "`true` when the answer is the one first given to this Idempotency-Key.",
        {"type": "string", "enum": ["true"]},
        required=False,
    ),
    "Deprecation": Header(
        "When the operation was (or will be) deprecated: `@` and Unix seconds (RFC 9745).",
        {"type": "string", "pattern": r"^@-?[0-9]{1,15}$"},
    ),
    "Sunset": Header("When the operation stops answering, an HTTP-date (RFC 8594).", _STRING),
}
REQUEST_HEADERS: dict[str, str] = {
    "If-Match": "Change only if the item still has one of these entity tags (else 412).",
    "If-None-Match": "Answer 304 without a body if the item still has one of these tags.",
    "Idempotency-Key": "A quoted string naming this write: a retry with it replays the first "
    "answer; with another body it is 422, while the first still runs 409.",
}
# An sf-string (RFC 8941 §3.3.3) of 1 to MAX_KEY_LENGTH characters, each escape counting two.
_KEY_PATTERN = r'^"([ !#-\[\]-~]|\\["\\])+"$'
REQUEST_SCHEMAS: dict[str, Mapping[str, Any]] = {
    "Idempotency-Key": {
        "type": "string",
        "pattern": _KEY_PATTERN,
        "maxLength": 2 * MAX_KEY_LENGTH + 2,
    },
}
# Every answer carries these, whatever its route and status.
ALWAYS_SENT = ("X-Request-ID",)
SENT_WITH_STATUS = {"429": ("Retry-After",), "503": ("Retry-After",)}


def header_components() -> dict[str, Any]:
    """`components.headers`: every response header, referred to by each answer that sends it."""
    return {
        name: {
            "description": header.description,
            "required": header.required,
            "schema": dict(header.schema),
        }
        for name, header in RESPONSE_HEADERS.items()
    }


def header_parameter(name: str, *, required: bool = False) -> dict[str, Any]:
    """The request header parameter `name`, optional unless `required`."""
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": REQUEST_HEADERS[name],
        "schema": dict(REQUEST_SCHEMAS.get(name, _STRING)),
    }
