"""The headers the document declares: each one once, with its meaning and schema."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
        'RFC 8288 links to the next and previous pages (rel="next", rel="prev"), when there are.',
        _STRING,
        required=False,
    ),
    "Retry-After": Header("Seconds to wait before asking again.", _INTEGER),
    "X-Request-ID": Header("The request's id in the service's log.", _STRING),
    "X-RateLimit-Limit": Header("Requests allowed in the window.", _INTEGER, required=False),
    "X-RateLimit-Remaining": Header("Requests left in the window.", _INTEGER, required=False),
    "X-RateLimit-Reset": Header("When the window ends (Unix seconds).", _INTEGER, required=False),
}
REQUEST_HEADERS: dict[str, str] = {
    "If-Match": "Change only if the item still has one of these entity tags (else 412).",
    "If-None-Match": "Answer 304 without a body if the item still has one of these tags.",
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


def header_parameter(name: str) -> dict[str, Any]:
    """The optional request header parameter `name`."""
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": REQUEST_HEADERS[name],
        "schema": {"type": "string"},
    }
