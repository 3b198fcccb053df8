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
