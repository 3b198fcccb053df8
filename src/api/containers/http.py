"""HTTP: the resources the app serves on the resource blueprint, and what `/readyz` checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from cachelib import BaseCache
from dependency_injector import containers, providers

from adapters.http.views.items import ITEMS
from adapters.session_store.caches import ping_cache
from api.resource import Catalogue, http_declarations


class HttpContainer(containers.DeclarativeContainer):
    """What the HTTP adapter is configured with beyond the settings."""

    storage_check: providers.Dependency[Callable[[], None]] = providers.Dependency()
    session_cache: providers.Dependency[BaseCache] = providers.Dependency()
    catalogue: providers.Dependency[Catalogue] = providers.Dependency()

    # Each resource served by the resource blueprint: items, then the catalogue's.
    resources = providers.Callable(http_declarations, providers.Object([ITEMS]), catalogue)

    # Each dependency /readyz reports, as a callable that raises Unavailable when it is down.
    readiness_checks = providers.Dict(
        storage=storage_check,
        session_store=providers.Callable(partial, ping_cache, session_cache),
    )
