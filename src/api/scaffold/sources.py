"""The source text of a field in the core declaration: types, declarations, imports."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from api.scaffold.plan import Plan
from core.fields import Field, Kind

TYPES = {
    Kind.STR: "str",
    Kind.TEXT: "str",
    Kind.INT: "int",
    Kind.DECIMAL: "Decimal",
    Kind.BOOL: "bool",
    Kind.DATE: "date",
    Kind.DATETIME: "datetime",
    Kind.LIST: "tuple[str, ...]",
    Kind.USER: "str",
}
DEFAULTS = {each.name: each.default for each in fields(Field)}


def alias(plan: Plan, field: Field) -> str:
    # `EventKind`: named for its entity, so no field's name can shadow an import.
    return plan.entity + "".join(part.capitalize() for part in field.name.split("_"))


def choices(field: Field) -> str:
    return ", ".join(f'"{each}"' for each in field.choices)


def type_of(plan: Plan, field: Field) -> str:
    kind = alias(plan, field) if field.kind is Kind.ENUM else TYPES[field.kind]
    return f"{kind} | None" if field.optional else kind


def parameters(plan: Plan, field: Field) -> list[tuple[str, str]]:
    kind = alias(plan, field) if field.kind is Kind.ENUM else TYPES[field.kind]
    found = [(field.name, kind)]
    if field.kind is Kind.STR:
        found.append((f"{field.name}_prefix", kind))
    if field.kind in (Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME):
        found += [(f"{field.name}_min", kind), (f"{field.name}_max", kind)]
    return found


def literal(value: Any) -> str:
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, date):
        return f"date({value.year}, {value.month}, {value.day})"
    return repr(value)


def declaration(field: Field) -> str:
    given = [f'"{field.name}"', f"Kind.{field.kind.name}"]
    for name in ("max_length", "minimum", "maximum", "choices", "places", "optional", "unique",
                 "filter", "sort", "default"):  # fmt: skip
        value = getattr(field, name)
        if name == "max_length" and field.kind is not Kind.STR:
            continue
        if value != DEFAULTS[name]:
            given.append(f"{name}={literal(value)}")
    return f"Field({', '.join(given)})"


def core_imports(plan: Plan) -> str:
    kinds = {field.kind for field in plan.fields}
    lines = [
        "from datetime import date, datetime"
        if Kind.DATE in kinds
        else "from datetime import datetime"
    ]
    if Kind.DECIMAL in kinds:
        lines.append("from decimal import Decimal")
    if Kind.ENUM in kinds:
        lines.append("from typing import Literal")
    return "\n".join(lines)
