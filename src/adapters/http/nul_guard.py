"""No text of a request may hold U+0000: refused here, before any store sees it.

PostgreSQL cannot store NUL in text and refuses it, SQLite and MongoDB take it: without one rule
before them, the same request would get a different answer on each backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, request

from adapters.http.json_guard import BODY_METHODS
from core.errors import ValidationError

NUL = "\x00"
MESSAGE = "must not contain NUL characters"


def refuse_nul_characters(app: Flask) -> None:
    """Refuse (422) a path variable, query parameter or JSON string or key holding NUL."""

    @app.before_request
    def check_text() -> None:
        field = _first_with_nul()
        if field is not None:
            raise ValidationError("invalid request", {field: MESSAGE})


def _first_with_nul() -> str | None:
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and NUL in value:
            return name
    if request.query_string:
        for name, value in request.args.items(multi=True):
            if NUL in name or NUL in value:
                return name
    if request.method in BODY_METHODS and request.is_json:
        # The JSON guard ran first: a body that is there parsed, and is cached.
        return next(_nul_fields(request.get_json(silent=True)), None)
    return None


def _nul_fields(document: Any) -> Iterator[str]:
    """The name of each field whose key or text holds NUL, walking without recursion."""
    pending: list[tuple[str, Any]] = [("body", document)]
    while pending:
        field, value = pending.pop()
        if isinstance(value, str):
            if NUL in value:
                yield field
        elif isinstance(value, dict):
            for key, item in value.items():
                if NUL in key:
                    yield key
                pending.append((key, item))
        elif isinstance(value, list):
            pending.extend((field, item) for item in value)
