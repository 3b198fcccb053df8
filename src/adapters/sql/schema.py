"""The whole SQL schema: items and users, and the tables of every declared resource."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType

from sqlalchemy import MetaData

import core.resources
from adapters.sql import resources
from adapters.sql.declared_tables import child_tables
from adapters.sql.tables import METADATA
from core.resource import ResourceType


def schema() -> MetaData:
    """`tables.METADATA` with every declared resource's tables.

    Tables stated by hand (in modules under `adapters.sql.resources`) come first; each
    declaration under `core.resources` then adds the tables its fields imply, unless a table of
    that name is there already.
    """
    list(_modules(resources))
    for module in _modules(core.resources):
        for value in vars(module).values():
            if isinstance(value, ResourceType):
                child_tables(value, METADATA)
    return METADATA


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    for found in pkgutil.iter_modules(package.__path__):
        yield importlib.import_module(f"{package.__name__}.{found.name}")
