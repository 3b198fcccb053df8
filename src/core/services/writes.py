"""What every resource's use cases share: paging bounds, version checks, retried writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.errors import ConcurrentChange, StaleVersion, ValidationError
from core.query import MAX_LIMIT
from core.queryable import ListQuery

T = TypeVar("T")

# How often an unconditional write is tried before a concurrent change is reported (409).
UNCONDITIONAL_ATTEMPTS = 20


def check_page(query: ListQuery) -> None:
    """ValidationError unless the limit is 1 to MAX_LIMIT and the offset not negative."""
    if not 1 <= query.limit <= MAX_LIMIT:
        raise ValidationError("invalid query", {"limit": f"must be 1 to {MAX_LIMIT}"})
    if query.offset < 0:
        raise ValidationError("invalid query", {"offset": "must not be negative"})


def check_version(name: str, version: int, expected_version: int | None) -> None:
    """StaleVersion when the caller expects another version than the stored one."""
    if expected_version is not None and expected_version != version:
        raise StaleVersion(f"{name} is at version {version}, not {expected_version}")


def retried(write: Callable[[], T], *, attempts: int, conditional: bool) -> T:
    """The write's result, the write done again when another one overtook it (unconditional)."""
    # Without a precondition the caller asked for "last writer wins": a write that another
    # one overtook between its read and its version-checked write is simply done again. A
    # conditional write keeps its exact answer (412, or 409 when overtaken).
    for _ in range(0 if conditional else attempts - 1):
        try:
            return write()
        except ConcurrentChange:
            continue
    return write()
