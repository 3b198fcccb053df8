"""mypy --strict refuses a backend whose repository registry lacks a resource's repository.

Each backend's registry and unit of work are copied, once as they are and once without the
users' repository, and type-checked together: only the copies that lack it fail, at their
typed `*_units` factory.
"""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

SRC = Path(__file__).resolve().parents[2] / "src"
BACKENDS = ("memory", "sql", "mongo")
USERS_LINE = re.compile(r"^\s+self\.users = .*\n", re.MULTILINE)


def copy_backend(folder: Path, backend: str, *, lacking: bool) -> str:
    """Copies of the backend's resources and unit of work modules; the unit of work's name."""
    suffix = f"{backend}_{'lacking' if lacking else 'complete'}"
    resources = (SRC / "adapters" / backend / "resources.py").read_text()
    if lacking:
        resources, removed = USERS_LINE.subn("", resources)
        assert removed == 1, "the registry's users line was not found"
    unit = (SRC / "adapters" / backend / "unit_of_work.py").read_text()
    unit, replaced = re.subn(
        rf"from adapters\.{backend}\.resources import", f"from resources_{suffix} import", unit
    )
    assert replaced == 1, "the unit of work no longer imports its registry"
    (folder / f"resources_{suffix}.py").write_text(resources)
    (folder / f"unit_{suffix}.py").write_text(unit)
    return f"unit_{suffix}.py"


def test_only_a_registry_lacking_a_repository_fails_type_checking(tmp_path: Path) -> None:
    files = [
        str(tmp_path / copy_backend(tmp_path, backend, lacking=lacking))
        for backend in BACKENDS
        for lacking in (False, True)
    ]
    cache = SRC.parent / ".mypy_cache"
    report, errors, status = api.run(
        ["--config-file", str(SRC.parent / "pyproject.toml"), "--cache-dir", str(cache), *files]
    )
    assert errors == ""
    failing = {Path(line.split(":")[0]).name for line in report.splitlines() if ": error:" in line}
    assert failing == {f"unit_{backend}_lacking.py" for backend in BACKENDS}, report
    for backend in BACKENDS:
        assert re.search(rf"unit_{backend}_lacking\.py:\d+: error: Incompatible return", report)
        assert re.search(
            rf"unit_{backend}_lacking\.py:\d+: note: .*protocol member.*\n.*users", report
        ), report
    assert status == 1
