"""The whole SQL schema: items and users, and the tables of every declared resource."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

from adapters.sql import resources
from adapters.sql.tables import METADATA


def schema() -> MetaData:
    """`tables.METADATA` once every module under `adapters.sql.resources` has added its tables."""
    for module in pkgutil.iter_modules(resources.__path__):
        importlib.import_module(f"{resources.__name__}.{module.name}")
    return METADATA
