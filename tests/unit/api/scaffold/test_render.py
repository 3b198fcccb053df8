"""What `resource new` writes: few production lines, and a migration equal to the derived tables."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect

from adapters.sql.declared_tables import child_tables
from adapters.sql.tables import NAMING
from api.scaffold.plan import Plan, plan
from api.scaffold.render import render
from api.scaffold.write import formatted
from core.resource import ResourceType

PROJECT = Path(__file__).resolve().parents[4]
#: A six-field resource: the size the scaffold's goal of at most 150 production lines is set for.
SIX_FIELDS = (
    "title:str:120:unique:filter:sort",
    "body:text:optional",
    "rank:int:0..100:filter:sort",
    "due:date:filter",
    "done:bool:filter:default=false",
    "tags:list:0..10",
)
EVERY_KIND = (
    "name:str:40:unique:filter:sort",
    "notes:text:optional",
    "rank:int:0..100:filter:sort",
    "price:decimal:0..:optional:filter",
    "active:bool:filter:default=true",
    "due:date:filter:sort",
    "seen_at:datetime:optional:filter",
    "kind:enum:tool,toy,gizmo:filter:sort",
    "tags:list:0..5",
    "labels:list:1..3",
    "reviewer:user:optional",
    "code:int:unique",
)


def written(chosen: Plan) -> dict[Path, str]:
    catalogue = (PROJECT / "src/api/catalogue.py").read_text()
    rendered = render(chosen, catalogue=catalogue, revision="0002", down_revision="0001")
    return {path: formatted(path, text, root=PROJECT) for path, text in rendered.files.items()}


def test_a_six_field_resource_is_at_most_150_production_lines() -> None:
    files = written(plan("tasks", SIX_FIELDS, taken=frozenset()))
    production = {path: text for path, text in files.items() if path.parts[0] == "src"}
    assert sorted(map(str, production)) == [
        "src/adapters/sql/migrations/versions/0002_tasks.py",
        "src/api/resources/tasks.py",
        "src/core/resources/tasks.py",
    ]
    assert sum(text.count("\n") for text in production.values()) <= 150


def migration_module(chosen: Plan) -> ModuleType:
    source = written(chosen)[Path(f"src/adapters/sql/migrations/versions/0002_{chosen.name}.py")]
    module = ModuleType("migration")
    exec(compile(source, "migration", "exec"), module.__dict__)  # noqa: S102 - our own output
    return module


def derived(chosen: Plan) -> MetaData:
    metadata = MetaData(naming_convention=NAMING)
    declared = ResourceType(
        chosen.name, chosen.singular, object, object, chosen.fields, owned=chosen.owned
    )
    child_tables(declared, metadata)
    return metadata


@pytest.mark.parametrize(
    ("name", "fields", "owned"),
    [
        ("gadgets", EVERY_KIND, True),
        ("tasks", SIX_FIELDS, True),
        ("labels", ("text:str:9",), False),
    ],
)
def test_the_migration_creates_exactly_the_tables_the_declaration_implies(
    name: str, fields: tuple[str, ...], owned: bool
) -> None:
    chosen = plan(name, fields, taken=frozenset(), owned=owned)
    module = migration_module(chosen)
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        with Operations.context(MigrationContext.configure(connection)):
            module.upgrade()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, derived(chosen)) == []
        with Operations.context(MigrationContext.configure(connection)):
            module.downgrade()
        assert inspect(connection).get_table_names() == []
