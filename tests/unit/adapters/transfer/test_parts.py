"""A resource split into parts: every row in exactly one part, the checksum whatever the split."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import in_memory_units
from adapters.transfer.checksum import Checksum
from adapters.transfer.journal import Journal, Position
from adapters.transfer.parts import advanced, part_batches, split
from adapters.transfer.records import entities
from adapters.transfer.store_end import StoreEnd
from api.data.resources import transferable_resources
from tests.helpers import an_item

ITEMS = transferable_resources(())[0]


def holding(count: int) -> StoreEnd:
    end = StoreEnd("a", "a", in_memory_units(InMemoryStore()), present=lambda: True)
    with end.units() as unit:
        unit.items.add_many([an_item() for _ in range(count)])
        unit.commit()
    return end


def every_id(end: StoreEnd) -> list[str]:
    return [each.id for batch in end.batches(ITEMS, after=None, size=1000) for each in batch]


@given(st.lists(st.text(), max_size=30), st.lists(st.integers(0, 30), max_size=5))
def test_any_split_of_the_rows_gives_the_checksum_of_the_whole(
    lines: list[str], cuts: list[int]
) -> None:
    whole, combined = Checksum(), Checksum()
    for line in lines:
        whole.add(line)
    bounds = [0, *sorted(cut % (len(lines) + 1) for cut in cuts), len(lines)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        part = Checksum()
        for line in lines[start:end]:
            part.add(line)
        combined.include(part)
    assert (combined.count, combined.digest) == (whole.count, whole.digest)


def test_the_parts_of_a_split_hold_every_row_once_in_the_stores_order() -> None:
    for total, count in ((10, 3), (9, 3), (7, 2), (5, 4), (40, 4)):
        end = holding(total)
        parts = split(end, ITEMS, total=total, count=count)
        assert parts[0].start is None and parts[-1].size is None
        read = [
            each.id
            for part in parts
            for batch in part_batches(entities(end, ITEMS), part, size=2)
            for each in batch
        ]
        assert read == every_id(end), (total, count)


def test_a_resumed_part_reads_only_its_unwritten_rows() -> None:
    end = holding(12)
    ids = every_id(end)
    first = split(end, ITEMS, total=12, count=2)[0]
    resumed = advanced(first, after=ids[3], rows=4)
    batches = part_batches(entities(end, ITEMS), resumed, size=5)
    read = [each.id for batch in batches for each in batch]
    assert read == ids[4:6]  # the part holds six rows, four of them written


def test_the_journal_keeps_each_parts_position_for_the_next_run(tmp_path: Path) -> None:
    parts = split(holding(8), ITEMS, total=8, count=2)
    parts = (advanced(parts[0], after="x", rows=3), parts[1])
    journal = Journal(tmp_path / "journal.json", source="s", target="t")
    journal.record("items", Position(rows=3, parts=parts))
    again = Journal(tmp_path / "journal.json", source="s", target="t")
    assert again.position("items") == Position(rows=3, parts=parts)
