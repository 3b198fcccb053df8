"""Fixtures for the auth adapter tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import TokenKeys, generate_token_keys
from adapters.auth.revocations import InMemoryRevocationList
from tests.fakes import FakeClock

ISSUER = "https://api.example.test"
AUDIENCE = "hexapi-clients"
ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=7)
LEEWAY = timedelta(seconds=30)

ServiceFactory = Callable[..., JweTokenService]


@pytest.fixture
def keys() -> TokenKeys:
    return generate_token_keys()


@pytest.fixture
def revocations(clock: FakeClock) -> InMemoryRevocationList:
    return InMemoryRevocationList(clock)


@pytest.fixture(params=[0, 64], ids=["uncached", "cached"])
def cache_size(request: pytest.FixtureRequest) -> int:
    """Every token test runs without and with the verified-token cache."""
    size: int = request.param
    return size


@pytest.fixture
def make_service(
    keys: TokenKeys, clock: FakeClock, revocations: InMemoryRevocationList, cache_size: int
) -> ServiceFactory:
    """Builds a service from the shared fixtures; keyword arguments override any of them."""

    def build(**overrides: Any) -> JweTokenService:
        settings: dict[str, Any] = {
            "keys": keys,
            "clock": clock,
            "revocations": revocations,
            "issuer": ISSUER,
            "audience": AUDIENCE,
            "access_ttl": ACCESS_TTL,
            "refresh_ttl": REFRESH_TTL,
            "leeway": LEEWAY,
            "cache_size": cache_size,
        }
        return JweTokenService(**{**settings, **overrides})

    return build


@pytest.fixture
def service(make_service: ServiceFactory) -> JweTokenService:
    return make_service()
