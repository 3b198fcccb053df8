"""How views reach the use cases: a registry the composition root puts in `app.extensions`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from cachelib import BaseCache
from flask import current_app

from core.services.auth import AuthService
from core.services.items import ItemService
from core.services.logins import LoginService
from core.services.users import UserService

EXTENSION_KEY = "hexapi.services"

ReadinessCheck = Callable[[], None]


class ServiceRegistry(Protocol):
    """Providers of the services views call; the DI container satisfies it as it is."""

    def item_service(self) -> ItemService: ...
    def auth_service(self) -> AuthService: ...
    def user_service(self) -> UserService: ...
    def login_service(self) -> LoginService: ...
    def readiness_checks(self) -> Mapping[str, ReadinessCheck]: ...
    def idempotency_cache(self) -> BaseCache: ...
    def resource_services(self) -> Mapping[str, Any]: ...


def services() -> ServiceRegistry:
    """The registry of the running app (resolved per call, so container overrides apply)."""
    registry: ServiceRegistry = current_app.extensions[EXTENSION_KEY]
    return registry
