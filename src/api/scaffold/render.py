"""A plan rendered into source files, in memory: nothing touches the disk here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from api.scaffold.migration_source import created_tables
from api.scaffold.plan import Plan
from api.scaffold.sources import alias, choices, core_imports, declaration, parameters, type_of
from core.fields import Kind


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
    enums = [(alias(plan, f), choices(f)) for f in plan.fields if f.kind is Kind.ENUM]
    kinds = [type_of(plan, field) for field in plan.fields]
    filters = [each for field in plan.fields if field.filter for each in parameters(plan, field)]
    return {
        "plan": plan,
        "enums": enums,
        "attributes": list(zip([f.name for f in plan.fields], kinds, strict=True)),
        "parameters": filters,
        "declarations": [declaration(field) for field in plan.fields],
        "core_imports": core_imports(plan),
        "tables": created_tables(plan),
        "revision": revision,
        "down_revision": down_revision,
        "today": (today or datetime.now(UTC).date()).isoformat(),
        "url": f"/api/{plan.name}",
        # The fields a create body must hold, in their order (a set in the test, as in the code).
        "required": _set_source(
            f.name for f in plan.fields if not f.optional and f.default is None
        ),
    }


def _set_source(names: Iterable[str]) -> str:
    """`{"a", "b"}` in the given order, or `set()` for none."""
    listed = [f'"{name}"' for name in names]
    return "{" + ", ".join(listed) + "}" if listed else "set()"
