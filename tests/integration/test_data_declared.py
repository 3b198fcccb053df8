"""`flask --app api data copy` moves the catalogue's declared resources on every backend.

The app's catalogue holds the test resources (gadgets with a field of every kind and a child
table, labels with a table stated by hand), as `flask resource new` registers its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.engine import URL

from tests.contract.declared import GADGETS, LABELS, TEST_RESOURCES
from tests.contract.declared_clients import declared_app
from tests.contract.declared_specs import repository_spec
from tests.helpers import app_settings, unique
from tests.integration.servers import SERVERS, server_url
from tests.integration.transfers import (
    absent_database,
    checksums,
    opened,
    url_text,
    with_test_tables,
)

HELD = (*TEST_RESOURCES,)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return declared_app(app_settings(INSTANCE_PATH=str(tmp_path / "instance")))


@pytest.fixture
def postgresql() -> Iterator[URL]:
    with absent_database(server_url(SERVERS["postgresql"])) as url:
        yield url


def test_declared_resources_travel_through_every_backend_unchanged(
    app: Flask, tmp_path: Path, postgresql: URL
) -> None:
    first = f"sqlite:///{tmp_path / 'first.db'}"
    with_test_tables(first, HELD)
    with opened(first, HELD) as end, end.units() as unit:
        for resource in (GADGETS, LABELS):
            unit.repository(resource.declared).add_many(repository_spec(resource).samples())
        unit.commit()
    with opened(first, HELD) as end:
        expected = checksums(end, HELD)
    assert expected["gadgets"][0] == expected["labels"][0] == 8
    hops = [
        first,
        f"mongomock://localhost/{unique('declared')}",
        url_text(postgresql),
        f"sqlite:///{tmp_path / 'last.db'}",
    ]
    for source, target in zip(hops, hops[1:], strict=False):
        if not target.startswith("mongomock"):
            with_test_tables(target, HELD)
        result = app.test_cli_runner().invoke(
            args=["data", "copy", "--from", source, "--to", target]
        )
        assert result.exit_code == 0, result.output
        assert "gadgets: 8 rows written" in result.output
        assert "labels: 8 rows written" in result.output
        with opened(target, HELD) as end:
            assert checksums(end, HELD) == expected, target


def test_the_resource_option_names_declared_resources(app: Flask, tmp_path: Path) -> None:
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    for url in (source, target):
        with_test_tables(url, HELD)
    with opened(source, HELD) as end, end.units() as unit:
        unit.repository(LABELS.declared).add_many(repository_spec(LABELS).samples())
        unit.commit()
    result = app.test_cli_runner().invoke(
        args=["data", "copy", "--from", source, "--to", target, "--resource", "labels"]
    )
    assert result.exit_code == 0, result.output
    assert "labels: 8 rows written" in result.output
    assert "items:" not in result.output
    with opened(target, HELD) as end:
        assert checksums(end, HELD)["labels"] == checksums_of(source)["labels"]


def checksums_of(url: str) -> dict[str, tuple[int, str]]:
    with opened(url, HELD) as end:
        return checksums(end, HELD)
