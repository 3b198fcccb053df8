"""Keyset (seek) paging: where a cursor page starts, and what "after that place" means.

A page that seeks starts strictly after one entity's place in the query's order (or ends
strictly before it, going back), whatever was inserted or deleted since. That place is the
entity's values of the sort keys, the id last; "after" is their lexicographic order with each
key's own direction. Every backend reads the same `Keyset` the core builds here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.errors import ValidationError


class Compare(StrEnum):
    """How a stored field compares with a term's value."""

    EQ = "eq"
    GT = "gt"
    LT = "lt"
    GTE = "gte"
    LTE = "lte"


HOLDS: dict[Compare, Callable[[Any, Any], bool]] = {
    Compare.EQ: lambda stored, value: bool(stored == value),
    Compare.GT: lambda stored, value: bool(stored > value),
    Compare.LT: lambda stored, value: bool(stored < value),
    Compare.GTE: lambda stored, value: bool(stored >= value),
    Compare.LTE: lambda stored, value: bool(stored <= value),
}


@dataclass(frozen=True, slots=True)
class Seek:
    """A page starting strictly after `position` (ending strictly before it when `backward`)."""

    position: tuple[Any, ...]  # one value per sort key, the id last
    backward: bool = False


@dataclass(frozen=True, slots=True)
class Term:
    """One comparison of a stored field with a value."""

    field: str
    compare: Compare
    value: Any

    def holds(self, stored: Any) -> bool:
        """Whether a stored value passes this term."""
        return HOLDS[self.compare](stored, self.value)


@dataclass(frozen=True, slots=True)
class Keyset:
    """`bound AND (clause OR clause ...)`, each clause a conjunction of terms.

    The clauses alone say "after the position"; the bound, which they imply, is the first key's
    range, so an index on that key serves the condition on every backend.
    """

    bound: Term
    clauses: tuple[tuple[Term, ...], ...]

    def holds(self, value_of: Callable[[str], Any]) -> bool:
        """Whether an entity, whose field values `value_of` reads, lies past the position."""
        return any(
            all(term.holds(value_of(term.field)) for term in clause) for clause in self.clauses
        )


def keyset(order: Sequence[tuple[str, bool]], seek: Seek) -> Keyset:
    """The condition selecting what follows `seek.position` in `order` ((field, descending))."""
    if len(seek.position) != len(order):
        raise ValidationError("invalid cursor", {"cursor": "does not fit this listing's sort"})
    # Going back, "before the position" is "after it" in the reversed order.
    steps = [
        (name, descending != seek.backward, value)
        for (name, descending), value in zip(order, seek.position, strict=True)
    ]
    clauses = tuple(
        (
            *(Term(earlier, Compare.EQ, same) for earlier, _, same in steps[:n]),
            Term(name, Compare.LT if down else Compare.GT, value),
        )
        for n, (name, down, value) in enumerate(steps)
    )
    first, down, value = steps[0]
    return Keyset(Term(first, Compare.LTE if down else Compare.GTE, value), clauses)
