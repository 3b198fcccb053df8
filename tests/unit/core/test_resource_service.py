"""The generic service of a declared resource, against the in-memory unit of work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

import pytest

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from api.resource import memory_declarations
from core.errors import Forbidden, ValidationError
from core.ports.unit_of_work import UnitOfWork
from core.principal import Principal
from core.services.resources import ResourceService
from tests.contract.declared import GADGETS, GADGETS_TYPE, LABELS, LABELS_TYPE, Gadget, GadgetQuery
from tests.fakes import FakeClock, SequentialIds
from tests.helpers import a_user

ANN = Principal("ann")
WRITER = Principal("w", frozenset({"labels:write"}))
GADGET = {"name": "drill", "rank": 3, "kind": "tool", "tags": ["a"], "due": date(2026, 1, 31)}


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


def service_of(store: InMemoryStore, clock: FakeClock, resource: object) -> ResourceService:  # type: ignore[type-arg]
    units = partial(InMemoryUnitOfWork, store, declared=memory_declarations((GADGETS, LABELS)))
    return ResourceService(resource=resource, uow=units, clock=clock, ids=SequentialIds())  # type: ignore[arg-type]


@pytest.fixture
def gadgets(store: InMemoryStore, clock: FakeClock) -> ResourceService[Gadget, GadgetQuery]:
    return service_of(store, clock, GADGETS_TYPE)


def test_text_is_stored_trimmed_in_nfc_and_found_by_any_spelling(
    gadgets: ResourceService[Gadget, GadgetQuery],
) -> None:
    made = gadgets.create(owner=ANN, **(GADGET | {"name": "  Cafe\u0301  "}))
    assert made.name == "Café" and made.tags == ("a",) and made.active is True
    assert gadgets.list(GadgetQuery(name="Cafe\u0301")).items == [made]


def test_a_decimal_with_more_places_than_kept_is_refused_not_rounded(
    gadgets: ResourceService[Gadget, GadgetQuery],
) -> None:
    with pytest.raises(ValidationError) as refused:
        gadgets.create(owner=ANN, **(GADGET | {"price": Decimal("1.005")}))
    assert "price" in refused.value.details
    assert gadgets.list(GadgetQuery()).total == 0


def test_a_user_reference_must_name_a_user(
    store: InMemoryStore, gadgets: ResourceService[Gadget, GadgetQuery]
) -> None:
    with pytest.raises(ValidationError) as refused:
        gadgets.create(owner=ANN, **(GADGET | {"reviewer_id": "nobody"}))
    assert refused.value.details == {"reviewer_id": "no such user"}
    user = a_user()
    with InMemoryUnitOfWork(store) as unit:
        unit.users.add(user)
        unit.commit()
    assert gadgets.create(owner=ANN, **(GADGET | {"reviewer_id": user.id})).reviewer_id == user.id


def test_a_change_to_what_it_holds_keeps_the_version(
    gadgets: ResourceService[Gadget, GadgetQuery],
) -> None:
    made = gadgets.create(owner=ANN, **GADGET)
    assert gadgets.update(made.id, actor=ANN, rank=3).version == 1
    assert gadgets.update(made.id, actor=ANN, rank=4).version == 2
    with pytest.raises(Forbidden):
        gadgets.update(made.id, actor=Principal("bob"), rank=5)


def test_a_resource_nobody_owns_is_written_only_with_its_permission(
    store: InMemoryStore, clock: FakeClock
) -> None:
    labels = service_of(store, clock, LABELS_TYPE)
    with pytest.raises(Forbidden):
        labels.create(owner=ANN, text="urgent")
    made = labels.create(owner=WRITER, text="urgent")
    assert not hasattr(made, "owner_id")
    with pytest.raises(Forbidden):
        labels.delete(made.id, actor=ANN)
    labels.delete(made.id, actor=WRITER)
    assert labels.list(labels.resource.query()).total == 0


class PricedToolService(ResourceService[Gadget, GadgetQuery]):
    """A domain rule added by subclassing: a tool always has a price."""

    def check(self, entity: Gadget, uow: UnitOfWork) -> None:
        super().check(entity, uow)
        if entity.kind == "tool" and entity.price is None:
            raise ValidationError("invalid gadget", {"price": "a tool has a price"})


def test_a_subclass_rule_refuses_a_create_and_a_change_and_nothing_is_stored(
    store: InMemoryStore, clock: FakeClock
) -> None:
    units = partial(InMemoryUnitOfWork, store, declared=memory_declarations((GADGETS, LABELS)))
    gadgets = PricedToolService(resource=GADGETS_TYPE, uow=units, clock=clock, ids=SequentialIds())
    with pytest.raises(ValidationError) as refused:
        gadgets.create(owner=ANN, **GADGET)
    assert refused.value.details == {"price": "a tool has a price"}
    assert gadgets.list(GadgetQuery()).total == 0
    toy = gadgets.create(owner=ANN, **(GADGET | {"kind": "toy"}))
    with pytest.raises(ValidationError):
        gadgets.update(toy.id, actor=ANN, kind="tool")
    assert gadgets.get(toy.id) == toy
