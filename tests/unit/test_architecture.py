"""Dependencies point inward: the core imports the standard library and itself only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import core

CORE = Path(core.__file__).parent
ADAPTERS = CORE.parent / "adapters"


def roots_of(source: str) -> set[str]:
    """The top-level packages a module's source imports, wherever the import statement sits."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.partition(".")[0])
    return roots


def imported_roots(folder: Path) -> dict[str, set[str]]:
    """Each module file under `folder` and the top-level packages it imports."""
    return {
        str(path.relative_to(folder.parent)): roots_of(path.read_text(encoding="utf-8"))
        for path in folder.rglob("*.py")
    }


def test_core_imports_only_the_standard_library_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"core", "__future__"}
    offenders = {
        module: sorted(roots - allowed)
        for module, roots in imported_roots(CORE).items()
        if roots - allowed
    }
    assert offenders == {}


def test_the_check_sees_imports_hidden_inside_functions() -> None:
    source = (
        "from core import errors\n"
        "def f():\n"
        "    from flask import request\n"
        "    import sqlalchemy.orm\n"
    )
    assert roots_of(source) == {"core", "flask", "sqlalchemy"}


def test_adapters_never_import_the_composition_root() -> None:
    offenders = [module for module, roots in imported_roots(ADAPTERS).items() if "api" in roots]
    assert offenders == []
