"""The services views reach, seen from outside: a span per use case, readiness as gauges."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from cachelib import BaseCache
from opentelemetry.trace import Tracer

from adapters.http.services import ReadinessCheck, ServiceRegistry
from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.readiness import watched_checks
from adapters.tracing.unsampled import DROPPED
from adapters.tracing.use_cases import TracedUseCases
from core.services.auth import AuthService
from core.services.items import ItemService
from core.services.logins import LoginService
from core.services.users import UserService

S = TypeVar("S")


class ObservedServices:
    """A ServiceRegistry over another; resolved per call, so container overrides still apply."""

    def __init__(
        self, inner: ServiceRegistry, *, tracer: Tracer | None, metrics: ServiceMetrics | None
    ) -> None:
        self._inner = inner
        self._tracer = tracer
        self._metrics = metrics
        # One stand-in per service instance, kept with the instance it stands for.
        self._traced: dict[int, tuple[object, object]] = {}
        if tracer is None:
            # Nothing to trace: each request reaches the inner providers without a call here.
            for name in ("item_service", "auth_service", "user_service", "login_service"):
                setattr(self, name, getattr(inner, name))

    def _observed(self, service: S) -> S:
        # A request the sampler dropped starts no use-case span: the service itself serves it.
        if self._tracer is None or DROPPED.get():
            return service
        known = self._traced.get(id(service))
        if known is None or known[0] is not service:
            known = (service, TracedUseCases(service, self._tracer))
            self._traced[id(service)] = known
        return cast(S, known[1])

    def item_service(self) -> ItemService:
        """Items, traced."""
        return self._observed(self._inner.item_service())

    def auth_service(self) -> AuthService:
        """Tokens and sessions, traced."""
        return self._observed(self._inner.auth_service())

    def user_service(self) -> UserService:
        """Registration, traced."""
        return self._observed(self._inner.user_service())

    def login_service(self) -> LoginService:
        """Logins and refreshes, traced."""
        return self._observed(self._inner.login_service())

    def resource_services(self) -> Mapping[str, Any]:
        """Each declared resource's service, traced."""
        return {
            name: self._observed(each) for name, each in self._inner.resource_services().items()
        }

    def __getattr__(self, name: str) -> Callable[[], object]:
        """Any other resource's service provider (`note_service`), traced like the ones above."""
        if not name.endswith("_service"):
            raise AttributeError(name)
        provide: Callable[[], object] = getattr(self._inner, name)
        return lambda: self._observed(provide())

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        """The checks, each one's result kept in its gauge."""
        checks = self._inner.readiness_checks()
        return checks if self._metrics is None else watched_checks(checks, self._metrics)

    def idempotency_cache(self) -> BaseCache:
        """Where answers are kept for Idempotency-Key replays, as the container has it."""
        return self._inner.idempotency_cache()
