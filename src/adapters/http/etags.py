"""Entity tags for items: the version is the validator, `If-Match` carries the expected one.

The conditional headers are read here, by RFC 9110's grammar, not by Werkzeug's lenient parser
(which takes an unquoted `v1` for a tag): a tag matches only when it is spelled exactly as the
service issues it, `"v"` and the version in ASCII digits without leading zeros.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.entities import Item
from core.errors import StaleVersion

_PREFIX = "v"
NO_MATCH = 0  # versions start at 1, so this never matches a stored item

_ENTITY_TAG = r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"'
# RFC 9110 §5.6.1: a list of one or more tags, empty elements allowed, optional whitespace.
_TAG_LIST = re.compile(rf"(?:,[ \t]*)*{_ENTITY_TAG}(?:[ \t]*,(?:[ \t]*{_ENTITY_TAG})?)*")
_ONE_TAG = re.compile(_ENTITY_TAG)
# Ten digits hold every version a column stores (at most 2**31 - 1); int() stays cheap.
_ISSUED = re.compile(rf"{_PREFIX}([1-9][0-9]{{0,9}})")


def etag_of(item: Item) -> str:
    """The strong entity tag of the item's current representation (unquoted)."""
    return f"{_PREFIX}{item.version}"


def version_of(opaque: str) -> int | None:
    """The version an entity tag of ours names (its text between the quotes), else None."""
    match = _ISSUED.fullmatch(opaque)
    return int(match[1]) if match else None


@dataclass(frozen=True, slots=True)
class Condition:
    """A conditional header read: any tag at all (`*`), or the versions its tags name."""

    any: bool
    strong: frozenset[int]
    weak: frozenset[int]


def parse_condition(header: str | None) -> Condition | None:
    """`If-Match` or `If-None-Match` read; None when absent. A malformed one names nothing."""
    if header is None:
        return None
    text = header.strip(" \t")
    if text == "*":
        return Condition(any=True, strong=frozenset(), weak=frozenset())
    if _TAG_LIST.fullmatch(text) is None:
        return Condition(any=False, strong=frozenset(), weak=frozenset())
    strong: set[int] = set()
    weak: set[int] = set()
    for weakness, opaque in _ONE_TAG.findall(text):
        version = version_of(opaque)
        if version is not None:
            (weak if weakness else strong).add(version)
    return Condition(any=False, strong=frozenset(strong), weak=frozenset(weak))


def none_match(header: str | None, item: Item) -> bool:
    """Whether `If-None-Match` names the item's current tag (weak comparison, RFC 9110 §13.1.2)."""
    condition = parse_condition(header)
    if condition is None:
        return False
    return condition.any or item.version in condition.strong | condition.weak


def expected_version(
    if_match: str | None, *, stated: int | None, current: Callable[[], int]
) -> int | None:
    """The version a write must find, from `If-Match` and the body's `version`.

    No header (or `*`) leaves the body's version; one of our tags names the version; a list
    matches when the current version is in it. Weak tags never match (strong comparison), and
    a tag we never issued, or a header that is no list of tags, matches nothing (412).
    """
    condition = parse_condition(if_match)
    if condition is None or condition.any:
        return stated
    versions = set(condition.strong)
    if stated is not None and versions and stated not in versions:
        raise StaleVersion("If-Match and the body's version disagree")
    if len(versions) == 1:
        return versions.pop()
    if not versions:
        return NO_MATCH
    version = current()
    return version if version in versions else NO_MATCH
