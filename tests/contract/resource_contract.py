"""The Repository and UnitOfWork contract of any resource, from the resource's spec alone.

Each test runs once per resource spec (`tests/contract/specs.py`); a subclass provides the
`uow` fixture and may override `spec` to run the contract on another resource.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from core.errors import ConcurrentChange, Conflict, NotFound
from core.ports.unit_of_work import UnitOfWorkFactory
from core.query import Sort
from tests.contract.resource_spec import ResourceSpec, staged_over_stored, stored
from tests.contract.seek_contract import SeekContract
from tests.contract.shadowing import RefusesShadowing
from tests.contract.specs import SPECS


def by_id(entity: Any) -> str:
    """The sort key of a walk in id order."""
    return str(entity.id)


class ResourceContract(SeekContract, RefusesShadowing):
    """Behaviour every repository of every resource, on every backend, must show."""

    @pytest.fixture(params=SPECS, ids=str)
    def spec(self, request: pytest.FixtureRequest) -> ResourceSpec:
        return request.param  # type: ignore[no-any-return]

    def test_an_added_entity_reads_back_equal(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        entity = spec.build()
        stored(uow, spec, entity)
        with uow() as unit:
            assert spec.of(unit).get(entity.id) == entity

    def test_uncommitted_changes_are_rolled_back(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        entity = spec.build()
        with uow() as unit:
            spec.of(unit).add(entity)
        with uow() as unit, pytest.raises(NotFound):
            spec.of(unit).get(entity.id)

    def test_an_exception_rolls_back_every_change_of_the_unit(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        kept = spec.build()
        stored(uow, spec, kept)
        with pytest.raises(RuntimeError), uow() as unit:
            spec.of(unit).add(spec.build())
            spec.of(unit).delete(kept.id)
            raise RuntimeError("use case failed")
        with uow() as unit:
            assert spec.of(unit).count(spec.query()) == 1
            assert spec.of(unit).get(kept.id) == kept

    def test_explicit_rollback_discards_changes(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with uow() as unit:
            spec.of(unit).add(spec.build())
            unit.rollback()
            unit.commit()
        with uow() as unit:
            assert spec.of(unit).count(spec.query()) == 0

    def test_a_unit_reads_its_own_uncommitted_writes(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        entity = spec.build()
        with uow() as unit:
            spec.of(unit).add(entity)
            assert spec.of(unit).get(entity.id) == entity
            assert spec.of(unit).count(spec.query()) == 1

    def test_a_read_only_unit_reads_what_others_committed(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        entity = spec.build()
        stored(uow, spec, entity)
        with uow(read_only=True) as unit:
            assert spec.of(unit).get(entity.id) == entity
            assert spec.of(unit).list(spec.query()).items == [entity]

    def test_a_missing_entity_is_not_found(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with uow() as unit, pytest.raises(NotFound):
            spec.of(unit).get("0" * 32)

    def test_a_taken_unique_value_is_a_conflict(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        for field in spec.unique:
            first = spec.build()
            stored(uow, spec, first)
            with uow() as unit, pytest.raises(Conflict):
                spec.of(unit).add(spec.build(**{field: getattr(first, field)}))
                unit.commit()

    def test_an_update_bumps_the_version_and_stores_the_fields(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        entity = spec.build()
        stored(uow, spec, entity)
        changed = spec.change(entity)
        with uow() as unit:
            result = spec.of(unit).update(changed)
            unit.commit()
        assert result == replace(changed, version=2)
        with uow() as unit:
            assert spec.of(unit).get(entity.id) == replace(changed, version=2)

    def test_a_stale_version_is_refused(self, uow: UnitOfWorkFactory, spec: ResourceSpec) -> None:
        entity = spec.build()
        with uow() as unit:
            spec.of(unit).add(entity)
            first = spec.of(unit).update(spec.change(entity))
            unit.commit()
        with uow() as unit, pytest.raises(ConcurrentChange):
            spec.of(unit).update(spec.change(entity))
        with uow() as unit:
            assert spec.of(unit).get(entity.id) == first

    def test_an_update_to_a_taken_unique_value_is_a_conflict(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        for field in spec.unique:
            first, second = spec.build(), spec.build()
            stored(uow, spec, first, second)
            with uow() as unit, pytest.raises(Conflict) as error:
                taken = replace(second, **{field: getattr(first, field)})
                spec.of(unit).update(taken)
                unit.commit()
            # A taken unique value is no concurrent change: retrying the write could never help.
            assert not isinstance(error.value, ConcurrentChange)

    def test_a_unique_value_freed_by_an_update_can_be_reused(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        for field in spec.unique:
            entity = spec.build()
            with uow() as unit:
                repository = spec.of(unit)
                repository.add(entity)
                repository.update(replace(entity, **{field: getattr(spec.build(), field)}))
                reuse = spec.build(**{field: getattr(entity, field)})
                repository.add(reuse)
                unit.commit()
            with uow() as unit:
                assert spec.of(unit).get(reuse.id) == reuse

    def test_an_update_of_a_missing_entity_is_not_found(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with uow() as unit, pytest.raises(NotFound):
            spec.of(unit).update(spec.build())

    def test_delete_removes_the_entity(self, uow: UnitOfWorkFactory, spec: ResourceSpec) -> None:
        entity = spec.build()
        stored(uow, spec, entity)
        with uow() as unit:
            spec.of(unit).delete(entity.id, expected_version=1)
            unit.commit()
        with uow() as unit, pytest.raises(NotFound):
            spec.of(unit).get(entity.id)

    def test_delete_with_a_stale_version_is_refused(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        entity = spec.build()
        stored(uow, spec, entity)
        with uow() as unit, pytest.raises(ConcurrentChange):
            spec.of(unit).delete(entity.id, expected_version=7)

    def test_delete_of_a_missing_entity_is_not_found(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with uow() as unit, pytest.raises(NotFound):
            spec.of(unit).delete("f" * 32)

    def test_a_bulk_add_stores_every_entity(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        entities = [spec.build() for _ in range(spec.bulk)]
        with uow() as unit:
            assert spec.of(unit).add_many(entities) == spec.bulk
            unit.commit()
        with uow() as unit:
            assert spec.of(unit).count(spec.query()) == spec.bulk
            assert spec.of(unit).get(entities[-1].id) == entities[-1]

    def test_a_bulk_add_with_a_duplicate_stores_nothing(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        for field in spec.unique:
            first = spec.build()
            with uow() as unit, pytest.raises(Conflict):
                twin = spec.build(**{field: getattr(first, field)})
                spec.of(unit).add_many([first, twin])
                unit.commit()
            with uow() as unit:
                assert spec.of(unit).count(spec.query()) == 0

    def test_each_filter_matches_what_the_core_says(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        with uow() as unit:
            repository = spec.of(unit)
            for filters in spec.filters:
                query = spec.query(**filters, limit=100)
                expected = spec.queryable.sorted(
                    (entity for entity in samples if spec.queryable.matches(entity, query)), query
                )
                assert expected, f"{filters} matches no sample: the spec proves nothing"
                page = repository.list(query)
                assert (page.items, page.total) == (expected, len(expected)), filters
                assert repository.count(query) == len(expected), filters

    def test_each_sort_key_orders_as_the_core_says_with_ties_broken_by_id(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        with uow() as unit:
            repository = spec.of(unit)
            for field in sorted(spec.queryable.sorts):
                for descending in (False, True):
                    query = spec.query(sort=(Sort(field, descending),), limit=100)
                    expected = spec.queryable.sorted(samples, query)
                    assert repository.list(query).items == expected, (field, descending)

    def test_pages_slice_the_whole_order_and_count_every_match(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        with uow() as unit:
            for field in sorted(spec.queryable.sorts):
                query = spec.query(sort=(Sort(field, True),), limit=2, offset=1)
                page = spec.of(unit).list(query)
                whole = spec.queryable.sorted(samples, query)
                assert page.items == whole[1:3]
                assert (page.total, page.limit, page.offset) == (len(samples), 2, 1)

    def test_listings_lay_staged_writes_over_stored_ones_in_the_same_order(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with staged_over_stored(uow, spec) as staged:
            for field in sorted(spec.queryable.sorts):
                query = spec.query(sort=(Sort(field),), limit=3, offset=1)
                page = staged.repository.list(query)
                assert page.items == spec.queryable.sorted(staged.visible, query)[1:4]
                assert page.total == len(staged.visible)

    def test_an_added_entity_keeps_the_version_it_carries(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        one, many = replace(spec.build(), version=7), replace(spec.build(), version=12)
        with uow() as unit:
            spec.of(unit).add(one)
            spec.of(unit).add_many([many])
            unit.commit()
        with uow() as unit:
            found = spec.of(unit).get_many([one.id, many.id])
        assert sorted(found, key=lambda each: each.id) == sorted([one, many], key=by_id)

    def test_get_many_returns_the_stored_entities_among_the_ids(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        wanted = [samples[0].id, "0" * 32, samples[-1].id, samples[0].id]
        with uow() as unit:
            found = spec.of(unit).get_many(wanted)
            assert spec.of(unit).get_many([]) == []
        assert sorted(found, key=by_id) == sorted([samples[0], samples[-1]], key=by_id)

    def test_a_scan_in_batches_walks_every_entity_once_in_id_order(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        samples = spec.samples()
        stored(uow, spec, *samples)
        walked: list[Any] = []
        with uow(read_only=True) as unit:
            while batch := spec.of(unit).scan(walked[-1].id if walked else None, limit=3):
                assert len(batch) <= 3
                walked += batch
        # Hex ids sort alike under every backend's collation, so the order is checkable here.
        assert walked == sorted(samples, key=by_id)

    def test_a_scan_lays_the_units_staged_writes_over_the_stored_ones(
        self, uow: UnitOfWorkFactory, spec: ResourceSpec
    ) -> None:
        with staged_over_stored(uow, spec) as staged:
            repository, visible = staged.repository, sorted(staged.visible, key=by_id)
            assert repository.scan(limit=100) == visible
            assert repository.scan(visible[0].id, limit=2) == visible[1:3]
            staged_one = staged.visible[-1]
            assert repository.get_many([staged.deleted.id, staged_one.id]) == [staged_one]
