"""Every example of the README and of every page under docs/ runs as written.

A `python` block is executed; a `sh` block runs in bash with the virtualenv first on PATH and
`$PROJECT` naming the project's folder. Both run in a fresh folder. A block that cannot run here
(it needs a server, Docker or a cluster) is preceded by `<!-- not run: why -->`, and must say why.

In a project that has generated a resource of the name an example generates, that example must
be refused, naming the resource and writing nothing, as the page says a taken name is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from api.catalogue import RESOURCES

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]
BLOCK = re.compile(
    r"(?:<!-- (not run: [^>]*?|not run) -->\n)?```(python|sh)\n(.*?)^```", re.M | re.S
)


def blocks() -> list[tuple[str, str, str, str]]:
    """(page, language, marker, source) of every python and sh block, in page order."""
    found = []
    for page in PAGES:
        for marker, language, source in BLOCK.findall(page.read_text(encoding="utf-8")):
            found.append((str(page.relative_to(ROOT)), language, marker, source))
    return found


def runnable() -> list[pytest.param]:
    return [
        pytest.param(language, source, id=f"{page}:{index}")
        for index, (page, language, marker, source) in enumerate(blocks())
        if not marker
    ]


def test_the_pages_have_examples_that_run() -> None:
    assert len(runnable()) >= 10


def test_a_block_left_out_says_why() -> None:
    unexplained = [page for page, _, marker, _ in blocks() if marker == "not run"]
    assert unexplained == []


@pytest.mark.parametrize(("language", "source"), runnable())
def test_an_example_runs(
    language: str, source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if language == "python":
        # A module of its own, so a dataclass of the example finds its annotations' namespace.
        module = ModuleType("doc_example")
        monkeypatch.setitem(sys.modules, module.__name__, module)
        exec(compile(source, "example", "exec"), module.__dict__)
        return
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "APP_ENV": "development",
        "PROJECT": str(ROOT),
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", source],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if taken := [each.name for each in RESOURCES if f"resource new {each.name} " in source]:
        assert done.returncode != 0, done.stdout
        assert f"refused {taken[0]!r}: a resource of that name exists already" in done.stderr
        assert "nothing was written" in done.stderr
        return
    assert done.returncode == 0, done.stdout + done.stderr
