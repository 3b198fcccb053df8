"""The mover on two in-memory stores: copies, resumes, merges, refuses and verifies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import in_memory_units
from adapters.transfer.journal import Position
from adapters.transfer.mover import Mover, TransferRefused
from adapters.transfer.progress import Silent
from adapters.transfer.resource import Transferable
from adapters.transfer.store_end import StoreEnd
from adapters.transfer.verify import VerificationFailed
from api.data.resources import transferable_resources
from core.query import ItemQuery
from tests.fakes import MemoryCheckpoints
from tests.helpers import a_user, an_item

# Items and users: the stores are bare memory ones (declared resources: test_data_declared.py).
RESOURCES = transferable_resources(())
ITEMS = RESOURCES[0]


def store(name: str, *entities: Any) -> StoreEnd:
    """A memory store holding the entities (items and users)."""
    end = StoreEnd(name, name, in_memory_units(InMemoryStore()), present=lambda: True)
    with end.units() as unit:
        unit.items.add_many([each for each in entities if hasattr(each, "title")])
        unit.users.add_many([each for each in entities if hasattr(each, "username")])
        unit.commit()
    return end


def items_of(end: StoreEnd) -> list[Any]:
    with end.units() as unit:
        return unit.items.list(ItemQuery(limit=100)).items


class DroppingLast(StoreEnd):
    """A target that loses the last entity of every batch it is given."""

    def insert(self, resource: Transferable[Any], entities: Sequence[Any]) -> None:
        super().insert(resource, list(entities)[:-1])


def test_every_resource_is_copied_in_batches_and_verified() -> None:
    items = [replace(an_item(), version=n + 1) for n in range(23)]
    source, target = store("a", *items, a_user(), a_user()), store("b")
    journal = MemoryCheckpoints()
    reports = Mover(source, target, journal, Silent(), batch=5).run(RESOURCES)
    assert [(each.name, each.written, each.source.count) for each in reports] == [
        ("items", 23, 23),
        ("users", 2, 2),
    ]
    assert reports[0].source.digest == reports[0].target.digest
    assert sorted(items_of(target), key=lambda i: i.id) == sorted(items, key=lambda i: i.id)
    rows = [position.rows for name, position in journal.recorded if name == "items"]
    assert rows == [5, 10, 15, 20, 23, 23]  # each batch, then the resource marked done
    assert not journal.unfinished


def test_a_resumed_copy_skips_what_the_target_holds_past_its_last_checkpoint() -> None:
    items = sorted((an_item() for _ in range(12)), key=lambda i: i.id)
    source, target = store("a", *items), store("b", *items[:8])
    journal = MemoryCheckpoints()
    journal.record("items", Position(after=items[3].id, rows=4))  # four batches behind
    [report, _] = Mover(source, target, journal, Silent(), batch=4).run(RESOURCES)
    assert (report.written, report.identical) == (4, 4)
    assert report.source.digest == report.target.digest


def test_a_non_empty_target_is_refused_without_merge_and_nothing_is_written() -> None:
    source, target = store("a", an_item(), an_item()), store("b", an_item())
    before = items_of(target)
    with pytest.raises(TransferRefused, match=r"the target b is not empty \(items: 1 rows\)"):
        Mover(source, target, MemoryCheckpoints(), Silent()).run(RESOURCES)
    assert items_of(target) == before


def test_a_target_that_is_the_source_is_refused() -> None:
    source = store("a", an_item())
    with pytest.raises(TransferRefused, match="the target a is the same as the source"):
        Mover(source, source, MemoryCheckpoints(), Silent()).run(RESOURCES)


def test_merge_reports_a_row_whose_unique_value_another_row_holds() -> None:
    item = an_item(title="taken")
    source, target = store("a", item, an_item()), store("b", an_item(title="taken"))
    mover = Mover(source, target, MemoryCheckpoints(), Silent(), merge=True)
    with pytest.raises(VerificationFailed, match="the source holds 2 rows, the target 1"):
        mover.run(RESOURCES)


def test_a_target_that_loses_rows_fails_verification() -> None:
    source = store("a", *(an_item() for _ in range(6)))
    target = DroppingLast("b", "b", in_memory_units(InMemoryStore()), present=lambda: True)
    with pytest.raises(VerificationFailed, match="items: the source holds 6 rows, the target 4"):
        Mover(source, target, MemoryCheckpoints(), Silent(), batch=3).run([ITEMS])


class LoggingIndexes(StoreEnd):
    """A target that logs its inserts and the deferring and restoring of its indexes."""

    log: list[str]

    def defer_indexes(self, resource: Transferable[Any]) -> None:
        self.log.append(f"defer {resource.name}")

    def restore_indexes(self, resource: Transferable[Any]) -> None:
        self.log.append(f"restore {resource.name}")

    def insert(self, resource: Transferable[Any], entities: Sequence[Any]) -> None:
        self.log.append(f"insert {resource.name} {len(entities)}")
        super().insert(resource, entities)


def logging_target(*entities: Any) -> LoggingIndexes:
    target = LoggingIndexes("b", "b", in_memory_units(InMemoryStore()), present=lambda: True)
    target.log = []
    with target.units() as unit:
        unit.items.add_many(list(entities))
        unit.commit()
    return target


def test_a_copy_into_an_empty_target_builds_its_indexes_after_the_last_batch() -> None:
    source, target = store("a", *(an_item() for _ in range(5))), logging_target()
    journal = MemoryCheckpoints()
    Mover(source, target, journal, Silent(), batch=2).run([ITEMS])
    assert target.log == [
        "defer items", "insert items 2", "insert items 2", "insert items 1", "restore items",
    ]  # fmt: skip
    assert journal.recorded[-1][1].done


def test_a_resumed_copy_defers_and_restores_the_indexes_again() -> None:
    items = sorted((an_item() for _ in range(6)), key=lambda i: i.id)
    source, target = store("a", *items), logging_target(*items[:4])
    journal = MemoryCheckpoints()
    journal.record("items", Position(after=items[3].id, rows=4))
    Mover(source, target, journal, Silent(), batch=4).run([ITEMS])
    assert target.log == ["defer items", "insert items 2", "restore items"]


def test_a_merge_keeps_the_target_indexes_as_they_are() -> None:
    source, target = store("a", an_item(), an_item()), logging_target(an_item())
    Mover(source, target, MemoryCheckpoints(), Silent(), merge=True).run([ITEMS])
    assert target.log == ["insert items 2"]


def test_the_copy_and_the_verification_are_timed_apart() -> None:
    source, target = store("a", an_item(), an_item(), a_user()), store("b")

    class Clock:
        """One second a reading, and the verification of the target read in between."""

        now = 0.0

        def __call__(self) -> float:
            self.now += 1.0
            return self.now

    clock = Clock()
    reading = target.batches

    def slow_batches(*args: Any, **kwargs: Any) -> Any:
        clock.now += 10.0  # the verification reads the target back
        return reading(*args, **kwargs)

    target.batches = slow_batches  # type: ignore[method-assign]
    [items, _] = Mover(source, target, MemoryCheckpoints(), Silent(), clock=clock).run(RESOURCES)
    assert items.seconds == 1.0
    assert items.verify_seconds == 11.0
