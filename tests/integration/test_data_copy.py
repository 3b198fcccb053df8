"""`flask --app api data copy`: every backend to every other, exact, and each refusal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy.engine import URL
from sqlalchemy_utils import database_exists

from adapters.transfer.progress import Silent
from adapters.transfer.verify import checksum
from api import catalogue, create_app
from api.data.resources import transferable_resources
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

RESOURCES = {each.name: each for each in transferable_resources(catalogue.RESOURCES)}


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
        # Three parts of items between SQL databases (mongomock's are copied in one process).
        arguments = ("--from", source, "--to", target, "--batch-size", "400", "--workers", "3")
        result = data(app, "copy", *arguments)
        assert result.exit_code == 0, result.output
        assert "items: 1,300 rows written" in result.output
        assert result.output.count("items copy: done, 1,300 rows") == 1  # one line, all parts
        assert result.output.count("on both sides") == len(RESOURCES)
        with opened(target) as end:
            assert checksums(end) == expected, target


def test_a_checksum_read_in_parts_by_workers_is_the_checksum_read_in_one(
    tmp_path: Path,
) -> None:
    with opened(f"sqlite:///{tmp_path / 'held.db'}") as end:
        seed(end, items=2500, users=10)
        items = RESOURCES["items"]
        sums = {
            workers: checksum(end, items, batch=300, progress=Silent(), workers=workers)
            for workers in (1, 2, 3, 7)
        }
    assert {(each.count, each.digest) for each in sums.values()} == {(2500, sums[1].digest)}


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


@pytest.fixture
def source(tmp_path: Path) -> str:
    """A SQLite file holding a few items and users."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    with opened(url) as end:
        seed(end, items=5, users=2)
    return url


REFUSED_URLS = {
    "no scheme": ("just-a-name", "is not a database URL"),
    "bad port": ("postgresql+psycopg://postgres@127.0.0.1:port/x", "is not a database URL"),
    "unknown scheme": ("oracle://scott@db/x", "unsupported URL scheme 'oracle'"),
    "bad Mongo URL": ("mongodb://h:99999999/x", "is not a Mongo URL"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_URLS))
def test_a_malformed_target_url_is_refused_naming_it(
    app: Flask, source: str, tmp_path: Path, case: str
) -> None:
    url, reason = REFUSED_URLS[case]
    result = data(app, "copy", "--from", source, "--to", url)
    assert result.exit_code == 2, result.output
    assert "--to" in result.output
    assert reason in result.output
    assert not (tmp_path / "instance" / "transfers").exists()


def test_a_password_in_a_refused_url_is_never_printed(app: Flask, source: str) -> None:
    target = "postgresql+psycopg://user:s3cret@host:port/x"
    result = data(app, "copy", "--from", source, "--to", target)
    assert result.exit_code == 2
    assert "s3cret" not in result.output
    assert "postgresql+psycopg://user:***@host:port/x" in result.output


def test_an_unreachable_target_is_refused_naming_it(app: Flask, source: str) -> None:
    target = "postgresql+psycopg://nobody:hidden@127.0.0.1:1/none?connect_timeout=2"
    result = data(app, "copy", "--from", source, "--to", target)
    assert result.exit_code == 1
    assert (
        "cannot reach the target postgresql+psycopg://nobody:***@127.0.0.1:1/none" in result.output
    )
    assert "hidden" not in result.output


def test_an_unreachable_source_is_refused_and_nothing_is_created(
    app: Flask, tmp_path: Path
) -> None:
    target = tmp_path / "target.db"
    source = "mysql+pymysql://nobody@127.0.0.1:1/none?connect_timeout=2"
    result = data(app, "copy", "--from", source, "--to", f"sqlite:///{target}")
    assert result.exit_code == 1
    assert "cannot reach the source mysql+pymysql://nobody@127.0.0.1:1/none" in result.output
    assert not target.exists()


def test_a_target_that_is_the_source_is_refused(
    app: Flask, source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    with opened(source) as end:
        before = checksums(end)
    result = data(app, "copy", "--from", source, "--to", "sqlite:///./source.db")
    assert result.exit_code == 1
    assert "is the same as the source" in result.output
    with opened(source) as end:
        assert checksums(end) == before


def test_the_same_server_database_spelled_another_way_is_the_same_target(
    app: Flask, postgresql: URL
) -> None:
    other = url_text(postgresql.set(host="localhost", port=5432))
    result = data(app, "copy", "--from", url_text(postgresql), "--to", other)
    assert result.exit_code == 1
    assert "is the same as the source" in result.output
    assert not database_exists(postgresql)


def test_an_unknown_resource_is_refused_naming_it(app: Flask, source: str, tmp_path: Path) -> None:
    target = tmp_path / "target.db"
    result = data(
        app, "copy", "--from", source, "--to", f"sqlite:///{target}", "--resource", "widgets"
    )
    assert result.exit_code == 2
    known = ", ".join(RESOURCES)
    assert f"unknown resource 'widgets'; known: {known}" in result.output
    assert not target.exists()


def test_a_source_without_the_services_data_is_refused(app: Flask, tmp_path: Path) -> None:
    missing, target = tmp_path / "missing.db", tmp_path / "target.db"
    result = data(app, "copy", "--from", f"sqlite:///{missing}", "--to", f"sqlite:///{target}")
    assert result.exit_code == 1
    assert f"the source sqlite:///{missing} holds no data of this service" in result.output
    assert not missing.exists()
    assert not target.exists()


def test_a_non_empty_server_target_is_refused_and_left_as_it_was(
    app: Flask, source: str, mariadb: URL
) -> None:
    with opened(url_text(mariadb)) as end:
        seed(end, items=3, users=0)
        before = checksums(end)
    result = data(app, "copy", "--from", source, "--to", url_text(mariadb))
    assert result.exit_code == 1
    assert "is not empty (items: 3 rows); use --merge" in result.output
    with opened(url_text(mariadb)) as end:
        assert checksums(end) == before


def test_only_the_resources_named_are_copied(app: Flask, source: str, tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'target.db'}"
    result = data(app, "copy", "--from", source, "--to", target, "--resource", "users")
    assert result.exit_code == 0, result.output
    with opened(target) as end:
        assert (end.count(RESOURCES["items"]), end.count(RESOURCES["users"])) == (0, 2)


def test_quiet_prints_nothing_and_plain_lines_report_each_task(
    app: Flask, source: str, tmp_path: Path
) -> None:
    quiet = data(app, "copy", "--from", source, "--to", f"sqlite:///{tmp_path / 'q.db'}", "--quiet")
    assert (quiet.exit_code, quiet.output) == (0, "")
    loud = data(app, "copy", "--from", source, "--to", f"sqlite:///{tmp_path / 'l.db'}")
    assert "items copy: done, 5 rows" in loud.output
    assert "users verify: done, 2 rows" in loud.output  # the source was read while copying
