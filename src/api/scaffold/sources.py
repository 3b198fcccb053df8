"""The source text of a field in each generated file: types, declarations, columns, imports."""

from __future__ import annotations

from dataclasses import dataclass, fields
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


@dataclass(frozen=True)
class Child:
    """The child table of a list field."""

    field: str
    table: str
    constant: str
    length: int


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


def sql_type(field: Field) -> str:
    if field.kind is Kind.STR:
        return f"code_point_string({field.length})"
    if field.kind is Kind.ENUM:
        return f"code_point_string({max(len(each) for each in field.choices)})"
    return {
        Kind.TEXT: "Text",
        Kind.INT: "Integer",
        Kind.DECIMAL: f"Numeric(18, {field.places})",
        Kind.BOOL: "Boolean",
        Kind.DATE: "Date",
        Kind.DATETIME: "UtcDateTime()",
        Kind.USER: "String(64)",
    }[field.kind]


def column(field: Field) -> str:
    options = [f"nullable={field.optional}"]
    if field.unique:
        options.append("unique=True")
    elif field.filter or field.sort:
        options.append("index=True")
    return f'Column("{field.name}", {sql_type(field)}, {", ".join(options)})'


def migration_column(field: Field) -> str:
    kind = sql_type(field)
    if not kind.startswith(("code_point_string", "UtcDateTime")):
        kind = f"sa.{kind}" if "(" in kind else f"sa.{kind}()"
    return f'sa.Column("{field.name}", {kind}, nullable={field.optional})'


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


def sql_imports(stored: list[Field], children: list[Child]) -> str:
    names = {"Column", "Index", "Integer", "String", "Table"}
    text = " ".join(sql_type(field) for field in stored)
    names |= {name for name in ("Boolean", "Date", "Numeric", "Text") if name in text}
    if children:
        names.add("ForeignKey")
    return f"from sqlalchemy import {', '.join(sorted(names))}"
