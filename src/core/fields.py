"""The kinds of field a declared resource may hold, and the rule each applies to a value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core.errors import ValidationError
from core.titles import clean_line, clean_text

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
TEXT_MAX_LENGTH = 10_000
DECIMAL_DIGITS, DECIMAL_PLACES = 18, 2
LIST_ITEM_MAX_LENGTH = 40
LIST_MAX_ITEMS = 20
USER_ID_LENGTH = 64


class Kind(StrEnum):
    """What a field holds."""

    STR = "str"  # one line of text, trimmed, at most `max_length` characters
    TEXT = "text"  # long text, kept as written (in NFC)
    INT = "int"
    DECIMAL = "decimal"  # exact, with `places` digits after the point
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"  # aware, kept in UTC
    ENUM = "enum"  # one of `choices`
    LIST = "list"  # short strings, in order
    USER = "user"  # the id of a user


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a resource: its kind, bounds and options.

    `minimum`/`maximum` bound a number, a date, or the number of items of a list; `max_length`
    bounds a string or each item of a list. `default` is what a create that omits it stores.
    """

    name: str
    kind: Kind
    max_length: int | None = None
    minimum: Any = None
    maximum: Any = None
    choices: tuple[str, ...] = ()
    places: int = DECIMAL_PLACES
    optional: bool = False
    unique: bool = False
    filter: bool = False
    sort: bool = False
    default: Any = None

    def __post_init__(self) -> None:
        if self.sort and self.optional:
            # Backends put missing values at different ends of an order, and a cursor cannot
            # seek past one: a listing sorted by it would differ between backends.
            raise ValueError(f"{self.name}: an optional field cannot be a sort key")

    @property
    def length(self) -> int:
        """The most characters a value (or an item of a list) may hold."""
        if self.max_length is not None:
            return self.max_length
        return TEXT_MAX_LENGTH if self.kind is Kind.TEXT else LIST_ITEM_MAX_LENGTH

    @property
    def bounds(self) -> tuple[Any, Any]:
        """The least and greatest allowed value (items, for a list); None where unbounded."""
        if self.kind is Kind.INT:
            return (
                INT_MIN if self.minimum is None else self.minimum,
                INT_MAX if self.maximum is None else self.maximum,
            )
        if self.kind is Kind.LIST:
            return (self.minimum or 0, LIST_MAX_ITEMS if self.maximum is None else self.maximum)
        return self.minimum, self.maximum

    def clean(self, value: Any, *, resource: str) -> Any:
        """The value as stored: normalised, checked against the field's rule."""
        if value is None:
            if self.optional:
                return None
            raise ValidationError(f"invalid {resource}", {self.name: "is required"})
        cleaned = self._normal(value, resource)
        low, high = self.bounds
        measured = len(cleaned) if self.kind is Kind.LIST else cleaned
        if (low is not None and measured < low) or (high is not None and measured > high):
            raise ValidationError(f"invalid {resource}", {self.name: self._range_rule()})
        return cleaned

    def _normal(self, value: Any, resource: str) -> Any:
        problem = f"invalid {resource}"
        if self.kind is Kind.STR:
            return clean_line(value, field=self.name, max_length=self.length, message=problem)
        if self.kind is Kind.TEXT:
            return clean_text(value, field=self.name, max_length=self.length, message=problem)
        if self.kind is Kind.LIST:
            return tuple(
                clean_line(each, field=self.name, max_length=self.length, message=problem)
                for each in value
            )
        if self.kind is Kind.ENUM and value not in self.choices:
            raise ValidationError(problem, {self.name: f"must be one of {', '.join(self.choices)}"})
        if self.kind is Kind.DECIMAL:
            return self._decimal(Decimal(value), problem)
        if self.kind is Kind.DATETIME:
            if value.tzinfo is None:
                raise ValidationError(problem, {self.name: "must state its time zone"})
            return value.astimezone(UTC)
        if self.kind is Kind.USER:
            return clean_line(value, field=self.name, max_length=USER_ID_LENGTH, message=problem)
        return value

    def _decimal(self, value: Decimal, problem: str) -> Decimal:
        # A value with more places than the column keeps would be silently rounded by it.
        if not value.is_finite() or value != value.quantize(Decimal(1).scaleb(-self.places)):
            raise ValidationError(
                problem, {self.name: f"must be a number with at most {self.places} decimals"}
            )
        if abs(value) >= Decimal(10) ** (DECIMAL_DIGITS - self.places):
            raise ValidationError(problem, {self.name: "is too large"})
        return value.quantize(Decimal(1).scaleb(-self.places))

    def _range_rule(self) -> str:
        low, high = self.bounds
        what = "items" if self.kind is Kind.LIST else ""
        if low is not None and high is not None:
            return f"must be {low} to {high} {what}".strip()
        return f"must be at least {low}" if low is not None else f"must be at most {high}"

    def sample(self, index: int) -> Any:
        """A valid value, different for each index (for tests and documentation)."""
        low, high = self.bounds
        if self.kind in (Kind.STR, Kind.TEXT, Kind.USER):
            return f"{self.name} {index:04d}"[: self.length]
        if self.kind is Kind.INT:
            return low + index % (high - low + 1)
        if self.kind is Kind.DECIMAL:
            base = Decimal(0) if low is None else Decimal(low)
            return (base + Decimal(index) / 4).quantize(Decimal(1).scaleb(-self.places))
        if self.kind is Kind.BOOL:
            return index % 2 == 1
        if self.kind is Kind.DATE:
            start = date(2026, 1, 1) if low is None else low
            return date.fromordinal(start.toordinal() + index % 300)
        if self.kind is Kind.DATETIME:
            return datetime(2026, 1, 1, tzinfo=UTC).replace(second=index % 60, minute=index // 60)
        if self.kind is Kind.ENUM:
            return self.choices[index % len(self.choices)]
        count = max(low, min(high, 2))
        return tuple(f"tag{index}-{k}" for k in range(count))
