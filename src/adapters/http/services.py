"""How views reach the use cases: a registry the composition root puts in `app.extensions`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from flask import current_app

from core.services.auth import AuthService
from core.services.items import ItemService

EXTENSION_KEY = "hexapi.services"

ReadinessCheck = Callable[[], None]


class ServiceRegistry(Protocol):
    """Providers of the services views call; the DI container satisfies it as it is."""

    def item_service(self) -> ItemService: ...
    def auth_service(self) -> AuthService: ...
    def readiness_checks(self) -> Mapping[str, ReadinessCheck]: ...


def services() -> ServiceRegistry:
    """The registry of the running app (resolved per call, so container overrides apply)."""
    registry: ServiceRegistry = current_app.extensions[EXTENSION_KEY]
    return registry
