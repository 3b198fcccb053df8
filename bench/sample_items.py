"""Items for the bulk-insert benchmarks, as a use case would hand them to a repository."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.system.ids import TimeOrderedIds
from core.entities import Item


def make_items(count: int) -> list[Item]:
    """`count` distinct items with time-ordered ids and titles."""
    ids, start = TimeOrderedIds(), datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Item(
            id=ids.new_id(),
            title=f"bulk item {n:07d}",
            owner_id="bench",
            created_at=start + timedelta(milliseconds=n),
            updated_at=start + timedelta(milliseconds=n),
        )
        for n in range(count)
    ]
