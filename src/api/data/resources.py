"""Every registered resource as the mover reaches it: the one place that lists them."""

from __future__ import annotations

from typing import Any

from adapters.transfer.resource import Transferable
from api.resource import Catalogue, Resource
from core.entities import Item, User
from core.query import ItemQuery, UserQuery


def transferable_resources(catalogue: Catalogue) -> tuple[Transferable[Any], ...]:
    """Each resource's name, entity and repository in a unit of work, in the order moved:
    items and users, then every declared resource of the catalogue."""
    return (
        Transferable("items", Item, lambda unit: unit.items, ItemQuery()),
        Transferable("users", User, lambda unit: unit.users, UserQuery()),
        *(_declared(each) for each in catalogue),
    )


def _declared(resource: Resource[Any, Any]) -> Transferable[Any]:
    declared = resource.declared
    return Transferable(
        declared.name, declared.entity, lambda unit: unit.repository(declared), declared.query()
    )


def chosen(names: tuple[str, ...], catalogue: Catalogue) -> tuple[Transferable[Any], ...]:
    """The resources named (all when none is); ValueError naming an unknown one."""
    every = transferable_resources(catalogue)
    if not names:
        return every
    known = {each.name: each for each in every}
    if unknown := [name for name in names if name not in known]:
        raise ValueError(
            f"unknown resource {', '.join(map(repr, unknown))}; known: {', '.join(known)}"
        )
    return tuple(known[name] for name in dict.fromkeys(names))
