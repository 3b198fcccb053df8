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
    module = SRC / "adapters" / backend / "resources.py"
    if not module.exists():
        module = module.with_suffix("") / "__init__.py"  # a package holding declared ones too
    resources = module.read_text()
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


BUNDLE = """
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, MetaData, String, Table

from adapters.http.resources.derived import http_resource
from adapters.memory.repository import MemoryResource
from adapters.mongo.resource import MongoResource
from adapters.sql.resource import SqlResource
from api.resource import Resource
from core.fields import Field, Kind
from core.query import DEFAULT_LIMIT, Sort
from core.resource import ResourceType
from core.seek import Seek


@dataclass(frozen=True)
class Pin:
    id: str
    label: str
    owner_id: str
    created_at: datetime
    updated_at: datetime
    version: int = 1


@dataclass(frozen=True)
class Other:
    id: str
    version: int = 1


@dataclass(frozen=True)
class PinQuery:
    sort: tuple[Sort, ...] = ()
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    seek: Seek | None = None


PINS = ResourceType("pins", "pin", Pin, PinQuery, (Field("label", Kind.STR),))
TABLE = Table("pins", MetaData(), Column("id", String(32), primary_key=True))
COMPLETE = Resource(
    declared=PINS,
    memory=MemoryResource.declared(PINS),
    sql=SqlResource("pin", Pin, TABLE, PINS.queryable),
    mongo=MongoResource.declared(PINS),
    http=http_resource(PINS),
)
LACKING_MONGO = Resource(
    declared=PINS,
    memory=MemoryResource.declared(PINS),
    sql=SqlResource("pin", Pin, TABLE, PINS.queryable),
    http=http_resource(PINS),
)
ANOTHER_ENTITY = Resource(
    declared=PINS,
    memory=MemoryResource.declared(PINS),
    sql=SqlResource("other", Other, TABLE, PINS.queryable),
    mongo=MongoResource.declared(PINS),
    http=http_resource(PINS),
)
"""


def test_a_resource_bundle_lacking_a_backend_or_of_another_entity_fails_type_checking(
    tmp_path: Path,
) -> None:
    module = tmp_path / "bundles.py"
    module.write_text(BUNDLE)
    lines = BUNDLE.splitlines()
    cache = SRC.parent / ".mypy_cache"
    report, errors, status = api.run(
        [
            "--config-file",
            str(SRC.parent / "pyproject.toml"),
            "--cache-dir",
            str(cache),
            str(module),
        ]
    )
    assert errors == "" and status == 1
    failing = {int(line.split(":")[1]) for line in report.splitlines() if ": error:" in line}
    lacking = next(n for n, text in enumerate(lines, 1) if text.startswith("LACKING_MONGO"))
    other = next(n for n, text in enumerate(lines, 1) if 'SqlResource("other"' in text)
    assert lacking in failing and 'Missing named argument "mongo"' in report, report
    assert any(other - 4 <= line <= other for line in failing), report
    assert all(line >= lacking for line in failing), report  # the complete bundle passes
