"""The examples of docs/http-standards.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "http-standards.md"
EXAMPLE = re.compile(r"<!-- example -->\n```python\n(.*?)```", re.DOTALL)


def examples() -> list[str]:
    return EXAMPLE.findall(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_an_example_of_each_standard() -> None:
    assert len(examples()) == 3


@pytest.mark.parametrize("source", examples())
def test_an_example_runs(source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the development secrets go to this instance folder
    exec(compile(source, str(PAGE), "exec"), {"__name__": "docs_example"})
