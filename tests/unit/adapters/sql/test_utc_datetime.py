"""UtcDateTime's reading: aware UTC datetimes from SQLite's text and from a driver's datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sql.column_types import UtcDateTime

DIALECT = sqlite.dialect()
READ = UtcDateTime().result_processor(DIALECT, None)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-01-01 00:00:00.001013", datetime(2026, 1, 1, 0, 0, 0, 1013, tzinfo=UTC)),
        ("2026-01-01 23:59:59", datetime(2026, 1, 1, 23, 59, 59, tzinfo=UTC)),
        ("2026-01-01T10:00:00.5", datetime(2026, 1, 1, 10, 0, 0, 500_000, tzinfo=UTC)),
        # Written with an offset by some other tool: converted, not taken as UTC.
        ("2026-01-01 12:00:00+02:00", datetime(2026, 1, 1, 10, 0, 0, tzinfo=UTC)),
        ("2026-01-01", datetime(2026, 1, 1, tzinfo=UTC)),
        (None, None),
    ],
)
def test_sqlite_text_is_read_as_an_aware_utc_datetime(
    stored: str | None, expected: datetime | None
) -> None:
    read = READ(stored)
    assert read == expected
    assert read is None or read.tzinfo is UTC


def test_a_datetime_the_driver_parsed_is_made_utc() -> None:
    read = UtcDateTime().result_processor(postgresql.dialect(), None)
    moment = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert read(moment) == moment
    assert read(moment).tzinfo is UTC
    assert read(datetime(2026, 1, 1, 10)) == datetime(2026, 1, 1, 10, tzinfo=UTC)  # naive: UTC


def test_sqlite_texts_of_sqlalchemy_layout_are_already_iso_texts() -> None:
    stored = [
        "2026-01-01 00:00:00.001013",
        "0999-12-31 23:59:59.999999",
        "2026-03-01 12:30:45.000000",
    ]
    texts = UtcDateTime().stored_iso_texts(DIALECT, stored)
    assert texts == [
        READ(each).replace(tzinfo=None).isoformat("T", "microseconds") for each in stored
    ]
    assert UtcDateTime().stored_iso_texts(DIALECT, []) == []


@pytest.mark.parametrize(
    "odd",
    [
        "2026-01-01 23:59:59",  # no fraction
        "2026-01-01T10:00:00.500000",  # another separator
        "2026-01-01 12:00:00.000000+02:00",  # an offset of its own
        "2026-01-01",
        "２０２６-01-01 00:00:00.000000",  # digits that are not ASCII
        "2026-01-01 00:00:00,000000",
        None,
    ],
)
def test_a_column_with_any_other_stored_value_has_no_iso_texts(odd: str | None) -> None:
    # One such value sends the whole column the usual way: parsed, then formatted.
    assert UtcDateTime().stored_iso_texts(DIALECT, ["2026-01-01 00:00:00.001013", odd]) is None


def test_other_dialects_store_no_iso_texts() -> None:
    assert (
        UtcDateTime().stored_iso_texts(postgresql.dialect(), ["2026-01-01 00:00:00.001013"]) is None
    )


def test_a_bulk_write_skips_binding_only_what_binding_leaves_unchanged() -> None:
    kind, keeper = UtcDateTime(), postgresql.dialect()
    in_utc = [datetime(2026, 1, 1, tzinfo=UTC), datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC)]
    assert kind.binds_unchanged(keeper, in_utc)
    assert [kind.process_bind_param(each, keeper) for each in in_utc] == in_utc
    berlin = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - refused when bound, so never skipped
    for odd in (berlin, naive, None, datetime(2026, 1, 1, tzinfo=timezone(timedelta(0), "Z"))):
        assert not kind.binds_unchanged(keeper, [*in_utc, odd])
    assert not kind.binds_unchanged(DIALECT, in_utc)  # SQLite keeps naive text: converted
