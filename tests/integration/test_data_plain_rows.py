"""Between two SQL stores the mover copies plain rows: exactly what copying entities writes.

Every resource travels: items, users (permissions, password hashes, the derived username key),
gadgets (a field of every kind, nulls, and a child table) and labels (a table stated by hand).
The same source is copied once as plain rows and once as entities into two fresh databases of
each server; every table, child tables included, must then hold the same rows, and each row's
canonical line must be the line of the entity read from it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from adapters.sql.database import create_sql_engine
from adapters.transfer.canonical import KnownUtcTexts
from adapters.transfer.journal import Journal
from adapters.transfer.mover import Mover
from adapters.transfer.progress import Silent
from adapters.transfer.records import entities, records_between, records_of
from adapters.transfer.store_end import StoreEnd
from api import catalogue
from api.data.resources import transferable_resources
from tests.contract.declared import GADGETS, LABELS, TEST_RESOURCES
from tests.contract.declared_specs import repository_spec
from tests.integration.servers import SERVERS, server_url
from tests.integration.transfers import (
    absent_database,
    checksums,
    opened,
    url_text,
    varied_items,
    varied_users,
    with_test_tables,
)

HELD = (*catalogue.RESOURCES, *TEST_RESOURCES)
RESOURCES = transferable_resources(HELD)
MOMENT = datetime(2026, 3, 1, 12, 30, 45, 123456, tzinfo=UTC)


def odd_gadgets() -> list[Any]:
    """Gadgets at the edges of their kinds: every optional null, no tags, or many, whole
    seconds, a negative and a long decimal, text that JSON escapes."""
    build = repository_spec(GADGETS).build
    return [
        build(
            20, notes=None, price=None, seen_at=None, reviewer_id=None, tags=(),
            created_at=MOMENT.replace(microsecond=0), updated_at=MOMENT,
        ),
        build(
            21, notes='tab\t "quote" \\ \u2028 é🍎', price=Decimal("0.01"), active=False,
            due=date(1999, 12, 31), seen_at=MOMENT + timedelta(microseconds=1),
            tags=("z", "a", "z", "é", "🍎"), reviewer_id="reviewer-1", version=7,
        ),
        build(22, price=Decimal("99999.99"), rank=0, tags=("only",)),
    ]  # fmt: skip


def filled(url: str) -> None:
    with_test_tables(url, HELD)
    items = varied_items(40)
    items[0] = replace(items[0], created_at=MOMENT.replace(microsecond=0))
    with opened(url, HELD) as end, end.units() as unit:
        unit.items.add_many(items)
        unit.users.add_many(varied_users(12))
        unit.repository(GADGETS.declared).add_many(
            [*repository_spec(GADGETS).samples(), *odd_gadgets()]
        )
        unit.repository(LABELS.declared).add_many(repository_spec(LABELS).samples())
        unit.commit()


def copied(source: str, target: str, tmp_path: Path, *, plain: bool) -> None:
    """The mover's copy; `plain=False` hides the ends' plain rows, so entities travel."""
    with_test_tables(target, HELD)
    with opened(source, HELD) as reader, opened(target, HELD) as writer:
        if not plain:
            reader, writer = replace(reader, plain_rows=False), replace(writer, plain_rows=False)
        first, _ = records_between(reader, writer, RESOURCES[0])
        assert first.plain is plain
        journal = Journal(tmp_path / f"{secrets.token_hex(4)}.json", source=source, target=target)
        Mover(reader, writer, journal, Silent(), batch=7).run(RESOURCES)


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the held resources, child tables too, in key order."""
    engine = create_sql_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for name, table in metadata.tables.items()
                if name != "alembic_version"
            }
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def two_targets(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two fresh databases of one backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rows.db'}", f"sqlite:///{tmp_path / 'entities.db'}"
        return
    server = server_url(SERVERS[request.param])
    with absent_database(server) as rows, absent_database(server) as each:
        yield url_text(rows), url_text(each)


def test_plain_rows_write_the_very_rows_entities_write(
    two_targets: tuple[str, str], tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    filled(source)
    by_rows, by_entities = two_targets
    copied(source, by_rows, tmp_path, plain=True)
    copied(source, by_entities, tmp_path, plain=False)
    written = table_rows(by_rows)
    assert {"items", "users", "gadgets", "gadget_tags", "labels"} <= written.keys()
    assert len(written["gadget_tags"]) > 0
    assert written == table_rows(by_entities)
    with opened(source, HELD) as end:
        expected = checksums(end, HELD)
    with opened(by_rows, HELD) as end:
        assert checksums(end, HELD) == expected


def test_the_line_of_a_plain_row_is_the_line_of_its_entity(
    two_targets: tuple[str, str], tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    filled(source)
    target = two_targets[0]
    copied(source, target, tmp_path, plain=True)
    for url in (source, target):
        with opened(url, HELD) as end:
            for resource in RESOURCES:
                assert lines_by_id(end, resource, plain=True) == lines_by_id(
                    end, resource, plain=False
                ), (url, resource.name)


def lines_by_id(end: StoreEnd, resource: Any, *, plain: bool) -> dict[str, str]:
    records = records_of(end, resource) if plain else entities(end, resource)
    assert records.plain is plain
    found: dict[str, str] = {}
    for batch in records.batches(after=None, size=5):
        found.update(zip(map(records.id, batch), records.lines(batch), strict=True))
    assert found, resource.name
    return found


def test_sqlite_rows_carry_their_timestamps_stored_text_as_iso_text(tmp_path: Path) -> None:
    # The lines of SQLite's rows take each timestamp's stored text (the test above shows the
    # lines equal); a column holding a null, or no timestamp, is formatted as any other.
    source = f"sqlite:///{tmp_path / 'source.db'}"
    filled(source)
    with opened(source, HELD) as end:
        for resource, timestamps, formatted in (
            (RESOURCES[0], ("created_at", "updated_at"), ()),
            (
                next(each for each in RESOURCES if each.name == "gadgets"),
                ("created_at",),
                ("seen_at",),
            ),
        ):
            records = records_of(end, resource)
            layout = end.row_layout(resource)
            batches = list(records.batches(after=None, size=100))
            assert len(batches) == 1, resource.name
            (batch,) = batches
            assert isinstance(batch, KnownUtcTexts), resource.name
            for name in timestamps:
                at = layout.index(name)
                assert batch.utc_iso[at] == [
                    row[at].replace(tzinfo=None).isoformat("T", "microseconds") for row in batch
                ]
            assert not {layout.index(name) for name in formatted} & batch.utc_iso.keys()
