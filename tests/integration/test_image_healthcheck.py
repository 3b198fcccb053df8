"""The image's HEALTHCHECK script finds the instance from BIND."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "docker" / "healthcheck.py"


def _healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("image_healthcheck", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_address_bound_on_every_interface_is_checked_on_loopback() -> None:
    assert _healthcheck().health_url("0.0.0.0:8000") == "http://127.0.0.1:8000/healthz"


def test_an_ipv6_wildcard_is_checked_on_loopback() -> None:
    assert _healthcheck().health_url("[::]:8080") == "http://127.0.0.1:8080/healthz"


def test_a_loopback_address_is_checked_as_given() -> None:
    assert _healthcheck().health_url("127.0.0.1:18511") == "http://127.0.0.1:18511/healthz"
