"""A unit of work's repositories of declared resources, each made on first use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

D = TypeVar("D")
R = TypeVar("R")


class DeclaredRepositories(Generic[D, R]):
    """`declared`: a backend's declaration by resource name; `make` builds its repository."""

    def __init__(
        self, declared: Mapping[str, D] | None, make: Callable[[str, D], R], *, backend: str
    ) -> None:
        self._declared = declared or {}
        self._make = make
        self._backend = backend
        self.opened: dict[str, R] = {}

    def of(self, resource: Any) -> R:
        """The repository of the resource (a `core.resource.ResourceType`) in this unit."""
        name: str = resource.name
        if name not in self.opened:
            if name not in self._declared:
                raise LookupError(f"{name} is not declared on the {self._backend} backend")
            self.opened[name] = self._make(name, self._declared[name])
        return self.opened[name]
