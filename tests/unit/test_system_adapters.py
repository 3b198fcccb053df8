"""The wall clock and the id generator."""

from __future__ import annotations

from datetime import UTC

from adapters.system.clock import SystemClock
from adapters.system.ids import TimeOrderedIds


def test_ids_are_32_hex_digits_and_unique() -> None:
    ids = [TimeOrderedIds().new_id() for _ in range(2000)]
    assert len(set(ids)) == 2000
    assert all(len(value) == 32 and int(value, 16) >= 0 for value in ids)


def test_ids_created_later_sort_later() -> None:
    generator = TimeOrderedIds()
    ids = [generator.new_id() for _ in range(2000)]
    # Within one millisecond the random tail decides; across milliseconds time does.
    assert [value[:12] for value in ids] == sorted(value[:12] for value in ids)


def test_the_clock_is_utc_to_the_millisecond() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert now.microsecond % 1000 == 0
