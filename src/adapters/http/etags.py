"""Entity tags for items: the version is the validator, `If-Match` carries the expected one."""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.datastructures import ETags

from core.entities import Item
from core.errors import StaleVersion

_PREFIX = "v"
NO_MATCH = 0  # versions start at 1, so this never matches a stored item


def etag_of(item: Item) -> str:
    """The strong entity tag of the item's current representation (unquoted)."""
    return f"{_PREFIX}{item.version}"


def version_of(tag: str) -> int | None:
    """The version an entity tag of ours names, or None for a tag we never issued."""
    digits = tag.removeprefix(_PREFIX)
    return int(digits) if tag.startswith(_PREFIX) and digits.isdigit() else None


def expected_version(
    if_match: ETags, *, stated: int | None, current: Callable[[], int]
) -> int | None:
    """The version a write must find, from `If-Match` and the body's `version`.

    No header (or `*`) leaves the body's version; one of our tags names the version; a list
    matches when the current version is in it. A tag we never issued matches nothing (412).
    """
    if not if_match or if_match.star_tag:
        return stated
    versions = {version_of(tag) for tag in if_match.as_set()} - {None}
    if stated is not None and versions and stated not in versions:
        raise StaleVersion("If-Match and the body's version disagree")
    if len(versions) == 1:
        return versions.pop()
    if not versions:
        return NO_MATCH
    version = current()
    return version if version in versions else NO_MATCH
