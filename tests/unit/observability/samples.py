"""Reading one sample of the service's metrics."""

from __future__ import annotations

from adapters.metrics.instruments import ServiceMetrics


def sample(metrics: ServiceMetrics, name: str, **labels: str) -> float:
    """The sample's value, 0 when nothing has been counted under these labels yet."""
    return metrics.registry.get_sample_value(name, labels) or 0.0
