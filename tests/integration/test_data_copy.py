"""`flask --app api data copy`: every backend to every other, exact, and each refusal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy.engine import URL

from api import create_app
from core.query import ItemQuery
from tests.contract.resource_contract import by_id
from tests.helpers import app_settings, unique
from tests.integration.servers import SERVERS, server_url
from tests.integration.transfers import (
    absent_database,
    checksums,
    opened,
    seed,
    url_text,
    varied_items,
)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return create_app(app_settings(INSTANCE_PATH=str(tmp_path / "instance")))


def data(app: Flask, *args: str) -> Result:
    """Run `flask --app api data ...` in this process (mongomock's data lives in it)."""
    return app.test_cli_runner().invoke(args=["data", *args])


@pytest.fixture
def postgresql() -> Iterator[URL]:
    with absent_database(server_url(SERVERS["postgresql"])) as url:
        yield url


@pytest.fixture
def mariadb() -> Iterator[URL]:
    with absent_database(server_url(SERVERS["mysql"])) as url:
        yield url


def test_a_round_trip_through_every_backend_keeps_counts_and_checksums(
    app: Flask, tmp_path: Path, postgresql: URL, mariadb: URL
) -> None:
    first = f"sqlite:///{tmp_path / 'first.db'}"
    with opened(first) as end:
        seed(end, items=1300, users=40)
        expected = checksums(end)
    hops = [
        first,
        url_text(postgresql),
        f"mongomock://localhost/{unique('trip')}",
        url_text(mariadb),
        f"sqlite:///{tmp_path / 'last.db'}",
    ]
    for source, target in zip(hops, hops[1:], strict=False):
        result = data(app, "copy", "--from", source, "--to", target, "--batch-size", "500")
        assert result.exit_code == 0, result.output
        assert "items: 1,300 rows written" in result.output
        assert result.output.count("on both sides") == 2
        with opened(target) as end:
            assert checksums(end) == expected, target


def test_merge_adds_missing_rows_skips_identical_ones_and_reports_differing(
    app: Flask, tmp_path: Path
) -> None:
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    items = varied_items(100)
    changed = [replace(item, title=item.title + " (edited)") for item in items[:3]]
    for url, held in ((source, items), (target, changed + items[3:60])):
        with opened(url) as end:
            end.prepare()
            with end.units() as unit:
                unit.items.add_many(held)
                unit.commit()
    refused = data(app, "copy", "--from", source, "--to", target)
    assert refused.exit_code != 0
    assert "is not empty (items: 60 rows)" in refused.output
    result = data(app, "copy", "--from", source, "--to", target, "--merge")
    assert result.exit_code == 0, result.output
    assert "items: 40 rows written, 57 identical skipped" in result.output
    assert "items: 3 rows differ in the target and were kept" in result.output
    assert all(item.id in result.output for item in items[:3])
    with opened(target) as end, end.units() as unit:
        kept = unit.items.get_many([item.id for item in changed])
        assert unit.items.count(ItemQuery()) == 100
    assert sorted(kept, key=by_id) == sorted(changed, key=by_id)
