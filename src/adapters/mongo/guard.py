"""Request values reach a Mongo query only as literal values, never as operators or field names.

Injection is impossible by construction: every field name of a filter or a document is written in
this adapter, and every value is a checked scalar (text, integer, datetime) that a filter matches
with `$eq`, under which MongoDB compares even "$where" literally. So "$set the table" is an
ordinary title, and an id or username spelled like an operator is simply not found.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from adapters.mongo.client import Document
from core.errors import ValidationError

S = TypeVar("S", str, int, datetime, bool)


def plain(value: S, *, field: str) -> S:
    """The value itself when it is a plain scalar, never a dict or list hiding an operator."""
    if not isinstance(value, str | int | datetime):
        raise ValidationError("invalid value", {field: "must be a plain value"})
    return value


def equals(value: S, *, field: str) -> Document:
    """The condition that a field holds exactly this value, compared literally."""
    return {"$eq": plain(value, field=field)}


def lookup_key(value: object, *, field: str) -> str:
    """An id or username to look up: text, else ValidationError."""
    if not isinstance(value, str):
        raise ValidationError("invalid value", {field: "must be text"})
    return value
