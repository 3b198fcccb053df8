"""The service's metrics, as the app's container holds them."""

from __future__ import annotations

import pytest
from flask import Flask

from adapters.metrics.instruments import ServiceMetrics


@pytest.fixture
def metrics(app: Flask) -> ServiceMetrics:
    found: ServiceMetrics = app.extensions["container"].metrics()
    return found
