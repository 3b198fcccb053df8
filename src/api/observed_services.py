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

    def _observing(self, provide: Callable[[], S]) -> Callable[[], S]:
        """The provider's service, traced: one call between a view and the provider."""

        def observed() -> S:
            service = provide()
            # A request the sampler dropped starts no use-case span: the service serves it.
            return service if DROPPED.get() else self._stand_in(service)

        return observed

    def _observed(self, service: S) -> S:
        if self._tracer is None or DROPPED.get():
            return service
        return self._stand_in(service)

    def _stand_in(self, service: S) -> S:
        known = self._traced.get(id(service))
        if known is None or known[0] is not service:
            known = (service, TracedUseCases(service, cast(Tracer, self._tracer)))
            self._traced[id(service)] = known
        return cast(S, known[1])

    # The shipped services' providers, as `__getattr__` finds them.
    item_service: Callable[[], ItemService]
    auth_service: Callable[[], AuthService]
    user_service: Callable[[], UserService]
    login_service: Callable[[], LoginService]

    def resource_services(self) -> Mapping[str, Any]:
        """Each declared resource's service, traced."""
        return {
            name: self._observed(each) for name, each in self._inner.resource_services().items()
        }

    def __getattr__(self, name: str) -> Callable[[], object]:
        """A service's provider (`item_service`, any resource's `note_service`), traced.

        Found once per name: it is kept on the instance, where later lookups find it without
        this call; without a tracer it is the inner provider itself.
        """
        if not name.endswith("_service"):
            raise AttributeError(name)
        provide: Callable[[], object] = getattr(self._inner, name)
        observed = provide if self._tracer is None else self._observing(provide)
        setattr(self, name, observed)
        return observed

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        """The checks, each one's result kept in its gauge."""
        checks = self._inner.readiness_checks()
        return checks if self._metrics is None else watched_checks(checks, self._metrics)

    def idempotency_cache(self) -> BaseCache:
        """Where answers are kept for Idempotency-Key replays, as the container has it."""
        return self._inner.idempotency_cache()
