"""Readiness per dependency, as the last check of each one found it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from adapters.metrics.instruments import ServiceMetrics
from core.errors import Unavailable

ReadinessCheck = Callable[[], None]


def watched_checks(
    checks: Mapping[str, ReadinessCheck], metrics: ServiceMetrics
) -> dict[str, ReadinessCheck]:
    """The same checks, each setting its dependency's gauge to 1 (answered) or 0 (did not)."""

    def watched(name: str, check: ReadinessCheck) -> ReadinessCheck:
        gauge = metrics.readiness.labels(dependency=name)

        def run() -> None:
            try:
                check()
            except Unavailable:
                gauge.set(0)
                raise
            gauge.set(1)

        return run

    return {name: watched(name, check) for name, check in checks.items()}
