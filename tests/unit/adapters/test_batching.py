"""Bulk writes in batches."""

from __future__ import annotations

from adapters.batching import BULK_BATCH, batched


def test_batches_hold_at_most_the_size_and_keep_the_order() -> None:
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_nothing_makes_no_batch() -> None:
    assert list(batched([], 3)) == []


def test_the_default_size_is_the_bulk_batch() -> None:
    sizes = [len(batch) for batch in batched(range(BULK_BATCH + 1))]
    assert sizes == [BULK_BATCH, 1]
