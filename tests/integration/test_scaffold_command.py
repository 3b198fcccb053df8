"""`flask resource new` on a copy of the project's files: it writes all of them, or none."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask

from api import create_app
from api.scaffold.names import Refused
from api.scaffold.revisions import next_revision
from api.scaffold.write import write_all
from tests.helpers import app_settings

PROJECT = Path(__file__).resolve().parents[2]
COPIED = ("src/api/catalogue.py", "src/adapters/sql/migrations/versions")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The files `resource new` reads and edits, copied."""
    for name in COPIED:
        source, target = PROJECT / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    return tmp_path


@pytest.fixture
def app() -> Flask:
    return create_app(app_settings())


def snapshot(root: Path) -> dict[str, bytes]:
    """The project's files; bytecode caches are Python's, written by any import of the tree."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def run(app: Flask, root: Path, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["resource", "new", *args, "--root", str(root)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "args",
    [
        ("users", "name:str:40"),
        ("class", "name:str:40"),
        ("not-valid", "name:str:40"),
        ("gadgets", "name:string"),
        ("gadgets", "name:str:40:indexed"),
        ("gadgets", "rank:int:10..1"),
        ("gadgets", "name:str:40", "tags:list:0..100"),
    ],
)
def test_each_refusal_names_its_argument_and_writes_nothing(
    app: Flask, root: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(root)
    code, output = run(app, root, *args)
    assert code == 1
    assert "refused" in output and "nothing was written" in output
    assert any(each in output for each in args), output
    assert snapshot(root) == before


def test_a_file_in_the_way_stops_every_write(app: Flask, root: Path) -> None:
    blocker = root / "tests/unit/resources/test_gadgets.py"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("# a team's own file\n")
    before = snapshot(root)
    code, output = run(app, root, "gadgets", "name:str:40")
    assert code == 1 and "exists already" in output
    assert snapshot(root) == before


def test_a_dry_run_lists_the_files_and_the_edit_and_writes_nothing(app: Flask, root: Path) -> None:
    before = snapshot(root)
    revision, _ = next_revision(root)
    code, output = run(app, root, "gadgets", "name:str:40:unique", "tags:list", "--dry-run")
    assert code == 0, output
    assert "would write src/core/resources/gadgets.py" in output
    assert f"would write src/adapters/sql/migrations/versions/{revision}_gadgets.py" in output
    assert "would edit src/api/catalogue.py" in output
    assert snapshot(root) == before


def test_a_resource_is_written_and_registered_in_one_line(app: Flask, root: Path) -> None:
    catalogue = (root / "src/api/catalogue.py").read_text()
    revision, head = next_revision(root)
    code, output = run(app, root, "gadgets", "name:str:40:unique")
    assert code == 0, output
    edited = (root / "src/api/catalogue.py").read_text()
    added = [line for line in edited.splitlines() if line not in catalogue.splitlines()]
    # The import of the bundles, made or given one more name, and the entry.
    imported = re.search(r"^from api\.resources import (.+)$", catalogue, re.M)
    names = sorted({"gadgets", *(imported[1].split(", ") if imported else ())})
    assert added == [f"from api.resources import {', '.join(names)}", "    gadgets.RESOURCE,"]
    migration = (root / f"src/adapters/sql/migrations/versions/{revision}_gadgets.py").read_text()
    assert f'down_revision: str | None = "{head}"' in migration
    assert (root / "src/core/resources/gadgets.py").is_file()
    assert not (root / "src/adapters/sql/resources/gadgets.py").exists()  # derived tables
    assert '-k "gadgets or test_migrations" tests/unit/resources/test_gadgets.py' in output


def test_a_written_resource_that_fails_its_check_is_undone_entirely(root: Path) -> None:
    before = snapshot(root)

    def refuse(_: Path) -> None:
        raise Refused("src/api/catalogue.py", "the written resource does not import")

    files = {Path("src/core/resources/gadgets.py"): "X = 1\n", Path("tests/new/deep/t.py"): ""}
    edits = {Path("src/api/catalogue.py"): "RESOURCES = ()\n"}
    with pytest.raises(Refused):
        write_all(root, files, edits, check=refuse)
    assert snapshot(root) == before
    assert not (root / "tests").exists()
