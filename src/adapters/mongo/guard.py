"""The adapter's own defence: no value it hands to pymongo can be read as an operator.

The core already refuses such values from requests; this check runs again on every filter and
document the adapter builds, so a future caller that skips the core cannot inject either.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from core.errors import ValidationError
from core.operator_guard import OPERATOR_HINT, looks_like_operator

S = TypeVar("S", str, int, datetime)


def plain(value: S, *, field: str) -> S:
    """The value itself when it is a plain scalar no query language reads as an operator."""
    # bool is an int, and BSON stores it as a bool: refused, no stored field is boolean.
    if isinstance(value, bool) or not isinstance(value, str | int | datetime):
        raise ValidationError("invalid value", {field: "must be a plain value"})
    if isinstance(value, str) and looks_like_operator(value):
        raise ValidationError("invalid value", {field: OPERATOR_HINT})
    return value


def lookup_key(value: object, *, field: str) -> str | None:
    """An id or username to look up; None when it reads as an operator, so it matches nothing.

    Such keys are never stored (documents go through `plain`), so answering "not found"
    without asking the server keeps the same 404 every backend gives.
    """
    if not isinstance(value, str):
        raise ValidationError("invalid value", {field: "must be text"})
    return None if looks_like_operator(value) else value
