"""The seek (cursor) half of the Repository contract: what a walk through pages must show.

A walk follows each page's `after` (or `before`) place until there is none; on every backend it
must find the query's whole order exactly once, in every sort, also while entities come and go.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from core.errors import ValidationError
from core.ports.unit_of_work import UnitOfWorkFactory
from core.query import Sort
from core.seek import Seek
from tests.contract.resource_spec import ResourceSpec, staged_over_stored, stored


def walk(repository: Any, query: Any, *, backward: bool = False) -> list[Any]:
    """Every entity the query finds, page by page through each page's next (or previous) place."""
    page = repository.list(query)
    pages = [page.items]
    while (place := page.before if backward else page.after) is not None:
        page = repository.list(replace(query, offset=0, seek=Seek(place, backward=backward)))
        pages.append(page.items)
    if backward:
        pages.reverse()
    return [entity for items in pages for entity in items]


def orders(spec: ResourceSpec) -> list[tuple[Sort, ...]]:
    """Every sort key both ways, and each pair of keys going opposite ways."""
    fields = sorted(spec.queryable.sorts)
    single: list[tuple[Sort, ...]] = [
        (Sort(name, descending),) for name in fields for descending in (False, True)
    ]
    pairs: list[tuple[Sort, ...]] = [
        (Sort(a), Sort(b, True)) for a in fields for b in fields if a != b
    ]
    return single + pairs


class SeekContract:
    """Cursor pages: every sort, both ways, filters, staged writes and concurrent changes."""

    def test_a_seek_walk_through_every_sort_finds_the_whole_order_once(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        with uow(read_only=True) as unit:
            repository = spec.of(unit)
            for sort in orders(spec):
                query = spec.query(sort=sort, limit=3)
                whole = spec.queryable.sorted(samples, query)
                assert walk(repository, query) == whole, sort
                last = replace(query, seek=Seek(spec.queryable.position(whole[-1], query)))
                assert repository.list(last).items == [], sort
                # Back from the last one's place, page by page, to the first page.
                end = replace(query, seek=Seek(spec.queryable.position(whole[-1], query), True))
                assert walk(repository, end, backward=True) == whole[:-1], sort

    def test_seek_pages_tell_their_neighbours_and_skip_the_count(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        with uow(read_only=True) as unit:
            repository = spec.of(unit)
            query = spec.query(limit=2)
            first = repository.list(query)
            assert (first.before, first.total, first.offset) == (None, len(samples), 0)
            second = repository.list(replace(query, seek=Seek(first.after)))
            assert (second.total, second.offset) == (None, None)
            assert second.before == spec.queryable.position(second.items[0], query)
            back = repository.list(replace(query, seek=Seek(second.before, backward=True)))
            assert (back.items, back.before) == (first.items, None)
            assert back.after == first.after

    def test_a_seek_walk_with_each_filter_finds_what_the_filter_matches(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        with uow(read_only=True) as unit:
            repository = spec.of(unit)
            for filters in spec.filters:
                for sort in orders(spec)[:2]:
                    query = spec.query(**filters, sort=sort, limit=2)
                    expected = spec.queryable.sorted(
                        (each for each in samples if spec.queryable.matches(each, query)), query
                    )
                    assert walk(repository, query) == expected, (filters, sort)

    def test_a_seek_starts_after_its_place_though_that_entity_is_gone(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        for sort in orders(spec):
            query = spec.query(sort=sort, limit=4)
            whole = spec.queryable.sorted(samples, query)
            place = spec.queryable.position(whole[2], query)
            with uow() as unit:
                spec.of(unit).delete(whole[2].id)
                unit.commit()
            with uow(read_only=True) as unit:
                after = spec.of(unit).list(replace(query, seek=Seek(place)))
                before = spec.of(unit).list(replace(query, seek=Seek(place, backward=True)))
            assert (after.items, before.items) == (whole[3:7], whole[:2]), sort
            stored(uow, spec, whole[2])

    def test_a_walk_skips_and_repeats_nothing_while_entities_come_and_go(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        both_sides = 0
        for sort in orders(spec):
            samples = spec.samples()
            early, late = samples[::2], samples[1::2]
            stored(uow, spec, *early)
            query = spec.query(sort=sort, limit=2)
            with uow(read_only=True) as unit:
                first = spec.of(unit).list(query)
            stored(uow, spec, *late)
            removed = next(each for each in early if each not in first.items)
            with uow() as unit:
                spec.of(unit).delete(removed.id)
                unit.commit()
            with uow(read_only=True) as unit:
                rest = walk(spec.of(unit), replace(query, seek=Seek(first.after)))
            whole = spec.queryable.sorted([each for each in samples if each != removed], query)
            place = whole.index(first.items[-1])
            # What landed behind the walk's place is not shown; everything past it is, once.
            assert rest == whole[place + 1 :], sort
            assert set(early) - {removed} <= set(first.items + rest), sort
            both_sides += any(each in late for each in whole[:place]) and any(
                each in late for each in whole[place + 1 :]
            )
            with uow() as unit:
                for each in whole:
                    spec.of(unit).delete(each.id)
                unit.commit()
        assert both_sides, "no sort put inserts on both sides of the walk: the test proves less"

    def test_a_seek_page_lays_staged_writes_over_stored_ones(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with staged_over_stored(uow, spec) as staged:
            for sort in orders(spec):
                query = spec.query(sort=sort, limit=3)
                found = walk(staged.repository, query)
                assert found == spec.queryable.sorted(staged.visible, query), sort

    def test_a_seek_that_does_not_fit_the_sort_is_refused(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with uow(read_only=True) as unit, pytest.raises(ValidationError):
            spec.of(unit).list(spec.query(seek=Seek(("a", "b", "c", "d"))))
