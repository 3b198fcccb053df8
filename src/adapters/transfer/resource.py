"""What the mover needs of a resource: its name, entity type, and its repository in a unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from adapters.transfer.codec import EntityCodec
from core.ports.repository import Repository
from core.ports.unit_of_work import UnitOfWork

E = TypeVar("E")


@dataclass(frozen=True)
class Transferable(Generic[E]):
    """A resource as moved: `repository` finds it in a unit, `everything` is a query of all."""

    name: str
    entity: type[E]
    repository: Callable[[UnitOfWork], Repository[E, Any]]
    everything: Any
    codec: EntityCodec[E] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codec", EntityCodec(self.entity))
