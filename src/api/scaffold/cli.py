"""`flask --app api resource new|list`: write a declared resource, show the registered ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from api.resource import Resource
from api.scaffold.names import Refused
from api.scaffold.plan import plan
from api.scaffold.render import render
from api.scaffold.revisions import next_revision
from api.scaffold.write import CATALOGUE, formatted, write_all
from core.fields import Field, Kind

#: Where a declared resource's tests are: its own module, then the Repository and HTTP contracts
#: in memory, on mongomock, on SQLite (and each server TEST_POSTGRES_URL / TEST_MYSQL_URL names),
#: and the migrations against the models.
RESOURCE_TESTS = (
    "tests/unit/resources/test_{name}.py",
    "tests/unit/adapters/test_declared_resources.py",
    "tests/unit/test_http_declared.py",
    "tests/integration/test_declared_mongomock.py",
    "tests/integration/test_declared_sql.py",
    "tests/integration/test_migrations.py",
)

resource_cli = AppGroup("resource", help="Declared resources: write a new one, list them.")


def _catalogue() -> tuple[Resource[Any, Any], ...]:
    found: tuple[Resource[Any, Any], ...] = current_app.extensions["container"].catalogue()
    return found


@resource_cli.command("new")
@click.argument("name")
@click.argument("fields", nargs=-1)
@click.option("--singular", help="The name of one entity (default: NAME without its plural s).")
@click.option("--owned/--not-owned", default=True, help="Whether the creator owns an entity.")
@click.option("--reads", type=click.Choice(["public", "authenticated"]), default="public")
@click.option("--permission", default="", help="Lets others write (default NAME:admin).")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
def resource_new(
    name: str,
    fields: tuple[str, ...],
    *,
    singular: str | None,
    owned: bool,
    reads: str,
    permission: str,
    dry_run: bool,
    root: Path,
) -> None:
    """Write NAME's entity, storage, migration, HTTP resource and tests, and register it."""
    from adapters.sql.schema import schema

    try:
        if not (root / CATALOGUE).is_file():
            raise Refused(str(root), f"no {CATALOGUE} here: run it in the project's folder")
        taken = frozenset({each.name for each in _catalogue()} | set(schema().tables))
        chosen = plan(
            name,
            fields,
            taken=taken,
            singular=singular,
            owned=owned,
            permission=permission,
            public_reads=reads == "public",
        )
        revision, down = next_revision(root)
        rendered = render(
            chosen,
            catalogue=(root / CATALOGUE).read_text(),
            revision=revision,
            down_revision=down,
        )
        files = {path: formatted(path, text, root=root) for path, text in rendered.files.items()}
        package = Path("tests/unit/resources/__init__.py")
        if not (root / package).exists():
            files[package] = (
                '"""Tests of each declared resource, as `resource new` wrote them."""\n'
            )
        edits = {CATALOGUE: formatted(CATALOGUE, rendered.catalogue, root=root)}
        if not dry_run:
            write_all(root, files, edits)
    except Refused as refused:
        raise click.ClickException(f"refused {refused}; nothing was written") from None
    verb = "would write" if dry_run else "wrote"
    for path, text in files.items():
        click.echo(f"{verb} {path} ({text.count(chr(10))} lines)")
    click.echo(f"{'would edit' if dry_run else 'edited'} {CATALOGUE} (the registration line)")
    if not dry_run:
        click.echo("next: flask --app api db upgrade; its tests: " + tests_command(chosen.name))


def tests_command(name: str) -> str:
    """The pytest command that runs a declared resource's tests and nothing else."""
    files = " ".join(each.format(name=name) for each in RESOURCE_TESTS)
    # schemathesis's plugin, a second of imports, serves no test here.
    return f'.venv/bin/pytest -q -p no:schemathesis -k "{name} or test_migrations" {files}'


@resource_cli.command("list")
def resource_list() -> None:
    """Each registered resource, its URL, who may write it, and its fields."""
    catalogue = _catalogue()
    if not catalogue:
        click.echo("no declared resource yet: flask --app api resource new NAME FIELD:TYPE ...")
    for each in catalogue:
        declared = each.declared
        writers = "owner" if declared.owned else "nobody's"
        reads = "public reads" if declared.public_reads else "authenticated reads"
        click.echo(
            f"{declared.name} at {each.http.prefix} ({writers}, {reads}, "
            f"{declared.write_permission} writes any)"
        )
        for field in declared.fields:
            click.echo(f"  {describe(field)}")


def describe(field: Field) -> str:
    """The field as `resource new` takes it: `title:str:80:unique:filter`."""
    parts = [field.name, field.kind.value]
    if field.kind is Kind.STR:
        parts.append(str(field.length))
    elif field.kind is Kind.ENUM:
        parts.append(",".join(field.choices))
    elif field.minimum is not None or field.maximum is not None:
        low = "" if field.minimum is None else field.minimum
        high = "" if field.maximum is None else field.maximum
        parts.append(f"{low}..{high}")
    parts += [name for name in ("unique", "optional", "filter", "sort") if getattr(field, name)]
    if field.default is not None:
        parts.append(
            f"default={str(field.default).lower() if field.kind is Kind.BOOL else field.default}"
        )
    return ":".join(parts)
