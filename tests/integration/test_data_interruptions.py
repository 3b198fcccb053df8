"""A copy stopped halfway (SIGINT, a lost connection) and run again ends exact and verified."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from adapters.sql.database import SqlDatabase, create_sql_engine
from adapters.sql.deferred_indexes import Key
from adapters.sql.tables import METADATA
from adapters.transfer.journal import Journal
from adapters.transfer.mover import Mover
from adapters.transfer.progress import Silent
from adapters.transfer.store_end import StoreEnd
from api import catalogue
from api.data.endpoints import open_store
from api.data.resources import transferable_resources
from core.errors import Unavailable
from tests.helpers import app_settings
from tests.integration.processes import wait_until
from tests.integration.servers import SERVERS, kill_other_connections, server_url
from tests.integration.transfers import absent_database, checksums, opened, seed, url_text

ROWS = 20_000
# Dropped while a copy loads into an empty target, built again once it has loaded every row:
# the non-unique indexes, and on PostgreSQL the keys too.
SECONDARY = {index.name for index in METADATA.tables["items"].indexes if not index.unique}
KEYS = {each.name for each in METADATA.tables["items"].constraints if isinstance(each, Key)}


def deferred(url: str) -> set[str]:
    """The names of the items table's indexes a load into it on this server goes without."""
    return SECONDARY | KEYS if url.startswith("postgresql") else SECONDARY


def data_process(instance: Path, *args: str) -> subprocess.Popen[str]:
    """`flask --app api data ...` in a process of its own, as an operator runs it."""
    settings = app_settings(INSTANCE_PATH=str(instance))
    environment = {**os.environ, **{name: str(value) for name, value in settings.items()}}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "api", "data", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def journal_rows(instance: Path) -> int:
    """The item rows the running copy's journal records as written."""
    for path in (instance / "transfers").glob("*.json"):
        try:
            resources = json.loads(path.read_text())["resources"]
        except (ValueError, KeyError, OSError):
            return 0  # replaced while read: the next poll sees it
        return int(resources.get("items", {}).get("rows", 0))
    return 0


def item_indexes(url: str) -> set[str]:
    """The names of the indexes and keys the items table has now on the server."""
    engine = create_sql_engine(url)
    try:
        held = inspect(engine)
        indexes = held.get_indexes("items") + held.get_unique_constraints("items")
        return {str(each["name"]) for each in [*indexes, held.get_pk_constraint("items")]}
    finally:
        engine.dispose()


@pytest.fixture
def source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    with opened(url) as end:
        seed(end, items=ROWS, users=300)
    return url


def worker_processes(parent: subprocess.Popen[str]) -> list[int]:
    """The pids of the processes the command has forked (its copy's workers)."""
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text()
    return [int(each) for each in children.split()]


@pytest.mark.parametrize("workers", ["1", "3"])
def test_a_copy_interrupted_at_half_by_sigint_resumes_to_an_exact_copy(
    source: str, tmp_path: Path, workers: str
) -> None:
    instance = tmp_path / "instance"
    with absent_database(server_url(SERVERS["postgresql"])) as target_url:
        target = url_text(target_url)
        # Small batches make the copy last seconds even on an idle machine (a commit each), so
        # the signal lands while it runs.
        arguments = ("copy", "--from", source, "--to", target, "--batch-size", "50")
        arguments += ("--workers", workers)
        first = data_process(instance, *arguments)
        wait_until(lambda: journal_rows(instance) >= ROWS // 2, timeout=120, what="half")
        first.send_signal(signal.SIGINT)
        _, errors = first.communicate(timeout=60)
        assert first.returncode == 130, errors
        assert "interrupted: run the same command again to resume" in errors
        with opened(target) as end:
            held = end.count(transferable_resources(catalogue.RESOURCES)[0])
        assert ROWS // 2 <= held < ROWS
        assert {"pk_items", "uq_items_title"} <= KEYS and SECONDARY
        assert not deferred(target) & item_indexes(target)

        second = data_process(instance, *arguments)
        output, errors = second.communicate(timeout=300)
        assert second.returncode == 0, errors
        assert "resuming the unfinished transfer" in errors
        assert f"verified {ROWS:,} rows" in output
        with opened(source) as left, opened(target) as right:
            assert checksums(left) == checksums(right)
        assert deferred(target) <= item_indexes(target)
        assert not list((instance / "transfers").glob("*.json"))


def test_a_worker_killed_mid_copy_fails_it_clearly_and_a_rerun_finishes_exactly(
    source: str, tmp_path: Path
) -> None:
    instance = tmp_path / "instance"
    with absent_database(server_url(SERVERS["postgresql"])) as target_url:
        target = url_text(target_url)
        arguments = ("copy", "--from", source, "--to", target, "--batch-size", "50")
        arguments += ("--workers", "2")
        first = data_process(instance, *arguments)
        wait_until(lambda: journal_rows(instance) >= ROWS // 4, timeout=120, what="a quarter")
        workers = worker_processes(first)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        _, errors = first.communicate(timeout=60)
        assert first.returncode == 1, errors
        assert (
            "items: a worker process stopped (exit code -9) before the end of its part:"
            " run the same command again to resume"
        ) in errors
        assert "Traceback" not in errors

        second = data_process(instance, *arguments)
        output, errors = second.communicate(timeout=300)
        assert second.returncode == 0, errors
        assert f"verified {ROWS:,} rows" in output
        with opened(source) as left, opened(target) as right:
            assert checksums(left) == checksums(right)
        assert deferred(target) <= item_indexes(target)
        assert not list((instance / "transfers").glob("*.json"))


def first_to_create(path: Path) -> bool:
    """Whether this process created the file (atomically: one of many racing processes)."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def killing_at(writer: StoreEnd, url: URL, *, commit: int, once: Path) -> StoreEnd:
    """The writer, with the server dropping its connections as it commits its `commit`-th unit.

    A commit, not a statement: PostgreSQL's batches go by COPY, which runs no SQLAlchemy event.
    Wrapped around the writer's own units, so that no listener outlives the test. Workers count
    their own commits; the first to create the file `once` kills, so that two never end each
    other's killing connection (which would fail the copy with the test's error, not the loss).
    """
    seen = 0
    killer = SqlDatabase(create_engine(url, poolclass=NullPool))

    class Killing:
        def __init__(self, unit: Any) -> None:
            self._unit = unit

        def __enter__(self) -> Any:
            self._unit.__enter__()
            return self

        def __exit__(self, *exc: object) -> None:
            self._unit.__exit__(*exc)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._unit, name)

        def commit(self) -> None:
            nonlocal seen
            seen += 1
            if seen == commit and first_to_create(once):
                assert kill_other_connections(killer) >= 1
            self._unit.commit()

    return replace(writer, units=lambda **options: Killing(writer.units(**options)))


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("server", sorted(SERVERS))
def test_a_connection_lost_mid_copy_stops_it_and_a_rerun_finishes_exactly(
    source: str, tmp_path: Path, server: str, workers: int
) -> None:
    resources = transferable_resources(catalogue.RESOURCES)
    with absent_database(server_url(SERVERS[server])) as target_url:
        reader = open_store(source, option="--from", catalogue=catalogue.RESOURCES)
        writer = open_store(url_text(target_url), option="--to", catalogue=catalogue.RESOURCES)
        journal = Journal(tmp_path / "journal.json", source="s", target="t")
        try:
            # Each worker counts the commits of its own part (a third of the batches with 3).
            killing = killing_at(
                writer, target_url, commit=20 if workers == 1 else 8, once=tmp_path / "killed"
            )
            with pytest.raises(Unavailable):  # a worker's error, raised in the parent
                Mover(reader, killing, journal, Silent(), batch=500, workers=workers).run(resources)
            assert journal.unfinished
            assert 0 < journal.position("items").rows < ROWS
            assert len(journal.position("items").parts) == (0 if workers == 1 else workers)
            assert not deferred(url_text(target_url)) & item_indexes(url_text(target_url))
            mover = Mover(reader, writer, journal, Silent(), batch=500, workers=workers)
            reports = mover.run(resources)
            counts = [report.source.count for report in reports]
            assert counts == [ROWS, 300] + [0] * len(catalogue.RESOURCES)
            assert checksums(reader) == checksums(writer)
            assert deferred(url_text(target_url)) <= item_indexes(url_text(target_url))
            assert not journal.unfinished
        finally:
            reader.close()
            writer.close()
