"""A plan rendered into source files, in memory: nothing touches the disk here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

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


@dataclass(frozen=True)
class Rendered:
    """Every file to write (path -> text, relative to the project) and the catalogue's new text."""

    files: dict[Path, str]
    catalogue: str


def environment() -> Environment:
    """The templates of `api/scaffold/templates`, with whitespace as the code needs it."""
    return Environment(
        loader=PackageLoader("api.scaffold"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Python source, never HTML
    )


def render(
    plan: Plan, *, catalogue: str, revision: str, down_revision: str, today: date | None = None
) -> Rendered:
    """The files of the plan's resource and the catalogue with it registered."""
    env = environment()
    context = _context(plan, revision=revision, down_revision=down_revision, today=today)
    name = plan.name
    files = {
        Path("src/core/resources") / f"{name}.py": "core.py.j2",
        Path("src/adapters/sql/resources") / f"{name}.py": "sql.py.j2",
        Path("src/api/resources") / f"{name}.py": "bundle.py.j2",
        Path("src/adapters/sql/migrations/versions") / f"{revision}_{name}.py": "migration.py.j2",
        Path("tests/unit/resources") / f"test_{name}.py": "test.py.j2",
    }
    texts = {path: env.get_template(template).render(context) for path, template in files.items()}
    return Rendered(files=texts, catalogue=registered(catalogue, plan))


def registered(catalogue: str, plan: Plan) -> str:
    """The catalogue's text with the resource imported and entered, one line each."""
    anchor = "from api.resource import Resource\n"
    closing = "\n)\n"
    if anchor not in catalogue or not catalogue.rstrip().endswith(")"):
        raise ValueError("api/catalogue.py is not in the shape `resource new` edits")
    text = catalogue.replace(anchor, f"{anchor}from api.resources import {plan.name}\n", 1)
    head, _, tail = text.rpartition(closing)
    return f"{head}\n    {plan.name}.RESOURCE,{closing}{tail}"


def _context(
    plan: Plan, *, revision: str, down_revision: str, today: date | None
) -> dict[str, Any]:
    enums = [(_alias(plan, f), _choices(f)) for f in plan.fields if f.kind is Kind.ENUM]
    kinds = [_type(plan, field) for field in plan.fields]
    filters = [each for field in plan.fields if field.filter for each in _parameters(plan, field)]
    children = [
        Child(
            field.name,
            f"{plan.singular}_{field.name}",
            f"{plan.singular.upper()}_{field.name.upper()}",
            field.length,
        )
        for field in plan.fields
        if field.kind is Kind.LIST
    ]
    stored = [field for field in plan.fields if field.kind is not Kind.LIST]
    return {
        "plan": plan,
        "enums": enums,
        "attributes": list(zip([f.name for f in plan.fields], kinds, strict=True)),
        "parameters": filters,
        "declarations": [_declaration(field) for field in plan.fields],
        "imports": {"core": _core_imports(plan), "sql": _sql_imports(stored, children)},
        "columns": [_column(field) for field in stored],
        "migration_columns": [_migration_column(field) for field in stored],
        "children": children,
        "unique": [field.name for field in stored if field.unique],
        "indexed": [f.name for f in stored if (f.filter or f.sort) and not f.unique],
        "revision": revision,
        "down_revision": down_revision,
        "today": (today or datetime.now(UTC).date()).isoformat(),
        "url": f"/api/{plan.name}",
        "required": {
            f.name
            for f in plan.fields
            if not f.optional and f.default is None and f.kind is not Kind.LIST
        }
        | {f.name for f in plan.fields if f.kind is Kind.LIST and f.default is None},
    }


def _alias(plan: Plan, field: Field) -> str:
    # `EventKind`: named for its entity, so no field's name can shadow an import.
    return plan.entity + "".join(part.capitalize() for part in field.name.split("_"))


def _choices(field: Field) -> str:
    return ", ".join(f'"{each}"' for each in field.choices)


def _type(plan: Plan, field: Field) -> str:
    kind = _alias(plan, field) if field.kind is Kind.ENUM else TYPES[field.kind]
    return f"{kind} | None" if field.optional else kind


def _parameters(plan: Plan, field: Field) -> list[tuple[str, str]]:
    kind = _alias(plan, field) if field.kind is Kind.ENUM else TYPES[field.kind]
    found = [(field.name, kind)]
    if field.kind is Kind.STR:
        found.append((f"{field.name}_prefix", kind))
    if field.kind in (Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME):
        found += [(f"{field.name}_min", kind), (f"{field.name}_max", kind)]
    return found


def _literal(value: Any) -> str:
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, date):
        return f"date({value.year}, {value.month}, {value.day})"
    return repr(value)


def _declaration(field: Field) -> str:
    given = [f'"{field.name}"', f"Kind.{field.kind.name}"]
    for name in ("max_length", "minimum", "maximum", "choices", "places", "optional", "unique",
                 "filter", "sort", "default"):  # fmt: skip
        value = getattr(field, name)
        if name == "max_length" and field.kind is not Kind.STR:
            continue
        if value != DEFAULTS[name]:
            given.append(f"{name}={_literal(value)}")
    return f"Field({', '.join(given)})"


def _sql_type(field: Field) -> str:
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


def _column(field: Field) -> str:
    options = [f"nullable={field.optional}"]
    if field.unique:
        options.append("unique=True")
    elif field.filter or field.sort:
        options.append("index=True")
    return f'Column("{field.name}", {_sql_type(field)}, {", ".join(options)})'


def _migration_column(field: Field) -> str:
    kind = _sql_type(field)
    if not kind.startswith(("code_point_string", "UtcDateTime")):
        kind = f"sa.{kind}" if "(" in kind else f"sa.{kind}()"
    return f'sa.Column("{field.name}", {kind}, nullable={field.optional})'


def _core_imports(plan: Plan) -> str:
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


def _sql_imports(stored: list[Field], children: list[Child]) -> str:
    names = {"Column", "Index", "Integer", "String", "Table"}
    text = " ".join(_sql_type(field) for field in stored)
    names |= {name for name in ("Boolean", "Date", "Numeric", "Text") if name in text}
    if children:
        names.add("ForeignKey")
    return f"from sqlalchemy import {', '.join(sorted(names))}"
