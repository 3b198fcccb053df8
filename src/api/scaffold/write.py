"""Files written all or none: formatted and compiled in memory first, undone on any failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from api.scaffold.names import Refused

CATALOGUE = Path("src/api/catalogue.py")


def formatted(path: Path, text: str, *, root: Path) -> str:
    """The text as `ruff check --fix` and `ruff format` leave it (as it is without ruff)."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        return text
    for command in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
        done = subprocess.run(  # noqa: S603 - our own tool on our own text
            [ruff, *command, "--stdin-filename", str(path), "-"],
            input=text,
            capture_output=True,
            text=True,
            cwd=root,
            check=False,
        )
        if done.returncode != 0:
            raise Refused(
                str(path), f"the generated code does not pass ruff: {done.stderr.strip()}"
            )
        text = done.stdout
    return text


def imports_cleanly(root: Path) -> None:
    """Refused unless the catalogue (so every resource it registers) imports in a new process."""
    done = subprocess.run(  # noqa: S603 - our own interpreter on our own module
        [sys.executable, "-c", "import api.catalogue"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise Refused(str(CATALOGUE), f"the written resource does not import: {last[0]}")


def write_all(
    root: Path,
    files: dict[Path, str],
    edits: dict[Path, str],
    *,
    check: Callable[[Path], None] = imports_cleanly,
) -> None:
    """Create `files` and replace `edits` under `root`, all of them or, on any failure, none.

    `check` runs once everything is written; when it raises, everything is undone.
    """
    for path, text in {**files, **edits}.items():
        if path.suffix == ".py":
            try:
                compile(text, str(path), "exec")
            except SyntaxError as error:
                raise Refused(str(path), f"the generated code does not compile: {error}") from None
    existing = [path for path in files if (root / path).exists()]
    if existing:
        raise Refused(str(existing[0]), "the file exists already: nothing was written")
    originals = {path: (root / path).read_text() for path in edits}
    created: list[Path] = []
    made_dirs: list[Path] = []
    try:
        for path, text in files.items():
            target = root / path
            for parent in reversed(target.relative_to(root).parents):
                folder = root / parent
                if not folder.exists():
                    folder.mkdir()
                    made_dirs.append(folder)
            target.write_text(text)
            created.append(target)
        for path, text in edits.items():
            (root / path).write_text(text)
        check(root)
    except BaseException:
        for target in created:
            target.unlink(missing_ok=True)
        for folder in reversed(made_dirs):
            folder.rmdir()
        for path, text in originals.items():
            (root / path).write_text(text)
        raise
