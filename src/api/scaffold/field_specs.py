"""One FIELD:TYPE[:ARGUMENT][:OPTION...] argument of `resource new`, read and checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from api.scaffold.names import IDENTIFIER, RESERVED_FIELDS, Refused, check_identifier
from core.errors import ValidationError
from core.fields import DECIMAL_DIGITS, INT_MAX, INT_MIN, LIST_MAX_ITEMS, Field, Kind

STR_MAX = 255
DEFAULT_STR_LENGTH = 80
OPTIONS = ("unique", "optional", "filter", "sort")
UNIQUE_KINDS = frozenset({Kind.STR, Kind.INT, Kind.DATE, Kind.USER})
ORDERED_KINDS = frozenset(Kind) - {Kind.TEXT, Kind.LIST}


def parse_field(spec: str) -> Field:
    """One FIELD:TYPE[:ARGUMENT][:OPTION...] argument as a field declaration."""
    parts = spec.split(":")
    if len(parts) < 2:
        raise Refused(spec, "a field is NAME:TYPE, e.g. title:str:80")
    name, type_name, rest = parts[0], parts[1], parts[2:]
    check_identifier(name, what="field name")
    if name in RESERVED_FIELDS:
        raise Refused(spec, f"{name} is a field every entity has already, or a listing parameter")
    try:
        kind = Kind(type_name)
    except ValueError:
        known = ", ".join(each.value for each in Kind)
        raise Refused(spec, f"unknown type {type_name!r}; known types: {known}") from None
    values: dict[str, Any] = {}
    options: dict[str, Any] = {}
    if rest and not _is_option(rest[0]):
        values = _argument(kind, rest[0], spec)
        rest = rest[1:]
    for option in rest:
        key, _, value = option.partition("=")
        if key == "default" and _:
            options["default"] = value
        elif key in OPTIONS and not _:
            if key in options:
                raise Refused(spec, f"the option {key} is given twice")
            options[key] = True
        else:
            raise Refused(
                spec, f"unknown option {option!r}; options: {', '.join(OPTIONS)}, default=VALUE"
            )
    if kind is Kind.ENUM and not values:
        raise Refused(spec, "an enum lists its values: status:enum:draft,published")
    if kind is Kind.STR and "max_length" not in values:
        values["max_length"] = DEFAULT_STR_LENGTH
    if options.get("sort") and options.get("optional"):
        # The core refuses it too (Field): missing values order differently on each backend.
        raise Refused(spec, "an optional field cannot be a sort key")
    field = Field(name, kind, **values, **{k: v for k, v in options.items() if k != "default"})
    return _checked(field, options.get("default"), spec)


def _is_option(part: str) -> bool:
    return part in OPTIONS or part.startswith("default=")


def _argument(kind: Kind, text: str, spec: str) -> dict[str, Any]:
    if kind is Kind.STR:
        if not text.isdigit() or not 1 <= int(text) <= STR_MAX:
            raise Refused(spec, f"a str's length is a whole number from 1 to {STR_MAX}")
        return {"max_length": int(text)}
    if kind is Kind.ENUM:
        choices = tuple(text.split(","))
        if len(set(choices)) != len(choices) or not all(IDENTIFIER.match(each) for each in choices):
            raise Refused(spec, "enum values are distinct lower-case identifiers, comma-separated")
        return {"choices": choices}
    if kind in (Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.LIST) and ".." in text:
        low, high = (_bound(kind, part, spec) for part in text.split("..", 1))
        if low is not None and high is not None and low > high:
            raise Refused(spec, f"the lower bound {low} is above the upper bound {high}")
        return {"minimum": low, "maximum": high}
    raise Refused(spec, f"{text!r} is no argument a {kind.value} takes")


def _bound(kind: Kind, text: str, spec: str) -> Any:
    if not text:
        return None
    try:
        if kind is Kind.DATE:
            return date.fromisoformat(text)
        if kind is Kind.DECIMAL:
            value = Decimal(text)
            if not value.is_finite() or abs(value) >= Decimal(10) ** (DECIMAL_DIGITS - 2):
                raise Refused(spec, f"a decimal bound has at most {DECIMAL_DIGITS - 2} digits")
            return value
        number = int(text)
    except (ValueError, InvalidOperation):
        raise Refused(spec, f"{text!r} is not a {kind.value} bound") from None
    if kind is Kind.LIST and not 0 <= number <= LIST_MAX_ITEMS:
        raise Refused(spec, f"a list holds 0 to {LIST_MAX_ITEMS} items")
    if kind is Kind.INT and not INT_MIN <= number <= INT_MAX:
        raise Refused(spec, f"an int bound lies within {INT_MIN}..{INT_MAX}")
    return number


def _checked(field: Field, default: str | None, spec: str) -> Field:
    if field.unique and field.kind not in UNIQUE_KINDS:
        raise Refused(spec, f"a {field.kind.value} cannot be unique")
    if field.unique and field.optional:
        # Mongo's unique index counts a missing value as one: two would collide.
        raise Refused(spec, "a unique field cannot be optional")
    if (field.filter or field.sort) and field.kind not in ORDERED_KINDS:
        raise Refused(spec, f"a {field.kind.value} cannot be filtered or sorted by")
    if default is None:
        return field
    if field.unique or field.kind in (Kind.LIST, Kind.USER, Kind.DATETIME):
        raise Refused(
            spec, f"a {'unique' if field.unique else field.kind.value} field takes no default"
        )
    try:
        value = field.clean(_default(field, default, spec), resource="default")
    except ValidationError as error:
        reason = error.details.get(field.name, "is invalid")
        raise Refused(spec, f"the default {default!r} {reason}") from None
    return replace(field, default=value)


def _default(field: Field, text: str, spec: str) -> Any:
    try:
        if field.kind is Kind.INT:
            return int(text)
        if field.kind is Kind.DECIMAL:
            return Decimal(text)
        if field.kind is Kind.DATE:
            return date.fromisoformat(text)
    except (ValueError, InvalidOperation):
        raise Refused(spec, f"the default {text!r} is not a {field.kind.value}") from None
    if field.kind is Kind.BOOL:
        if text not in ("true", "false"):
            raise Refused(spec, "a bool's default is true or false")
        return text == "true"
    return text
