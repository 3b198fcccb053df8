"""The verified-token cache skips the cryptography only: expiry and revocation still apply."""

from __future__ import annotations

import pytest

from adapters.auth.jwe_tokens import JweTokenService
from core.errors import Unauthorized
from core.ports.tokens import TokenType
from tests.fakes import FakeClock

from .conftest import ACCESS_TTL, ServiceFactory


@pytest.fixture
def cached(make_service: ServiceFactory) -> JweTokenService:
    return make_service(cache_size=8)


def test_a_repeated_token_still_expires(cached: JweTokenService, clock: FakeClock) -> None:
    token = cached.issue(subject="ann").token
    cached.verify(token)
    clock.advance(ACCESS_TTL + ACCESS_TTL)
    with pytest.raises(Unauthorized, match="expired"):
        cached.verify(token)


def test_a_repeated_token_is_still_refused_once_revoked(cached: JweTokenService) -> None:
    issued = cached.issue(subject="ann")
    cached.verify(issued.token)
    cached.revoke(issued.claims)
    with pytest.raises(Unauthorized):
        cached.verify(issued.token)


def test_a_cached_access_token_is_still_no_refresh_token(cached: JweTokenService) -> None:
    token = cached.issue(subject="ann").token
    cached.verify(token)
    with pytest.raises(Unauthorized):
        cached.verify(token, token_type=TokenType.REFRESH)


def test_the_cache_forgets_the_oldest_token_when_full(cached: JweTokenService) -> None:
    tokens = [cached.issue(subject=f"user{n}").token for n in range(10)]
    claims = [cached.verify(token) for token in tokens]
    assert [cached.verify(token) for token in tokens] == claims
