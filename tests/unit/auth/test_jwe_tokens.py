"""JweTokenService: round trips, token kinds, time, issuer, audience, revocation, rotation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import TokenKeys, rotate
from adapters.auth.revocations import InMemoryRevocationList
from adapters.auth.token_claims import EXPIRED_TOKEN
from core.errors import Unauthorized, Unavailable
from core.ports.tokens import TokenType
from tests.fakes import FakeClock, RecordingRevocationList

from .conftest import ACCESS_TTL, AUDIENCE, ISSUER, LEEWAY, REFRESH_TTL, ServiceFactory
from .tokens import assert_refused, claims_of, header_of, inner_jws


def test_issued_token_verifies_to_the_claims_it_was_issued_with(
    service: JweTokenService, clock: FakeClock
) -> None:
    clock.advance(timedelta(microseconds=123_456))

    issued = service.issue(subject="user-1", permissions=frozenset({"items:read", "items:write"}))

    claims = service.verify(issued.token)
    assert claims == issued.claims
    assert claims.subject == "user-1"
    assert claims.permissions == {"items:read", "items:write"}
    assert claims.token_type is TokenType.ACCESS
    assert claims.session_uid is None
    assert claims.issued_at == clock.now().replace(microsecond=0)
    assert claims.expires_at == claims.issued_at + ACCESS_TTL
    assert issued.expires_in == ACCESS_TTL.total_seconds()


def test_session_bound_token_carries_its_uid(service: JweTokenService) -> None:
    issued = service.issue(subject="anonymous", session_uid="session-42")

    assert service.verify(issued.token).session_uid == "session-42"


def test_refresh_token_lives_for_the_refresh_ttl(service: JweTokenService) -> None:
    issued = service.issue(subject="user-1", token_type=TokenType.REFRESH)

    claims = service.verify(issued.token, token_type=TokenType.REFRESH)

    assert claims.token_type is TokenType.REFRESH
    assert claims.expires_at - claims.issued_at == REFRESH_TTL


def test_token_is_a_signed_jwt_nested_in_a_jwe_with_the_registered_claims(
    service: JweTokenService, keys: TokenKeys
) -> None:
    issued = service.issue(subject="user-1", permissions=frozenset({"a"}), session_uid="s-1")

    assert header_of(issued.token) == {
        "alg": "A256KW",
        "enc": "A256CBC-HS512",
        "kid": keys.wrapping[0]["kid"],
        "cty": "JWT",
    }
    assert header_of(inner_jws(issued.token, keys)) == {
        "alg": "HS256",
        "kid": keys.signing[0]["kid"],
        "typ": "at+jwt",
    }
    claims = claims_of(issued.token, keys)
    assert set(claims) == {"sub", "iat", "nbf", "exp", "jti", "iss", "aud", "permissions", "uid"}
    assert (claims["iss"], claims["aud"]) == (ISSUER, AUDIENCE)
    assert claims["jti"] == issued.claims.token_id
    assert claims["permissions"] == ["a"]


def test_refresh_token_says_so_in_its_inner_header(
    service: JweTokenService, keys: TokenKeys
) -> None:
    issued = service.issue(subject="user-1", token_type=TokenType.REFRESH)

    assert header_of(inner_jws(issued.token, keys))["typ"] == "refresh+jwt"


def test_token_ids_come_from_the_injected_generator(make_service: ServiceFactory) -> None:
    ids = iter(["jti-1", "jti-2"])
    service = make_service(new_token_id=lambda: next(ids))

    first, second = service.issue(subject="a"), service.issue(subject="a")

    assert (first.claims.token_id, second.claims.token_id) == ("jti-1", "jti-2")


def test_default_token_ids_are_unique(service: JweTokenService) -> None:
    ids = {service.issue(subject="a").claims.token_id for _ in range(50)}

    assert len(ids) == 50


def test_access_token_is_refused_where_a_refresh_token_is_expected(
    service: JweTokenService,
) -> None:
    issued = service.issue(subject="user-1")

    assert_refused(service, issued.token, TokenType.REFRESH)


def test_refresh_token_is_refused_where_an_access_token_is_expected(
    service: JweTokenService,
) -> None:
    issued = service.issue(subject="user-1", token_type=TokenType.REFRESH)

    assert_refused(service, issued.token, TokenType.ACCESS)


def test_token_is_accepted_until_expiry_plus_leeway(
    service: JweTokenService, clock: FakeClock
) -> None:
    issued = service.issue(subject="user-1")

    clock.advance(ACCESS_TTL + LEEWAY - timedelta(seconds=1))

    assert service.verify(issued.token) == issued.claims


def test_expired_token_is_refused_with_expiry_message(
    service: JweTokenService, clock: FakeClock
) -> None:
    issued = service.issue(subject="user-1")
    clock.advance(ACCESS_TTL + LEEWAY)

    with pytest.raises(Unauthorized) as refused:
        service.verify(issued.token)

    assert refused.value.message == EXPIRED_TOKEN


def test_token_issued_in_the_future_is_refused(service: JweTokenService, clock: FakeClock) -> None:
    clock.advance(LEEWAY + timedelta(seconds=1))
    issued = service.issue(subject="user-1")
    clock.advance(-(LEEWAY + timedelta(seconds=1)))

    assert_refused(service, issued.token)


def test_clock_skew_within_the_leeway_is_tolerated(
    service: JweTokenService, clock: FakeClock
) -> None:
    clock.advance(LEEWAY)
    issued = service.issue(subject="user-1")
    clock.advance(-LEEWAY)

    assert service.verify(issued.token) == issued.claims


def test_token_from_another_issuer_is_refused(
    make_service: ServiceFactory, service: JweTokenService
) -> None:
    issued = make_service(issuer="https://elsewhere.example.test").issue(subject="user-1")

    assert_refused(service, issued.token)


def test_token_for_another_audience_is_refused(
    make_service: ServiceFactory, service: JweTokenService
) -> None:
    issued = make_service(audience="another-api").issue(subject="user-1")

    assert_refused(service, issued.token)


def test_revoked_token_is_refused(service: JweTokenService) -> None:
    issued = service.issue(subject="user-1")

    service.revoke(service.verify(issued.token))

    assert_refused(service, issued.token)


def test_revoking_one_token_leaves_the_others_valid(service: JweTokenService) -> None:
    revoked, kept = service.issue(subject="user-1"), service.issue(subject="user-1")

    service.revoke(revoked.claims)

    assert service.verify(kept.token) == kept.claims


def test_revocation_is_kept_as_long_as_the_token_could_still_be_accepted(
    service: JweTokenService, clock: FakeClock
) -> None:
    issued = service.issue(subject="user-1")
    service.revoke(issued.claims)

    clock.advance(ACCESS_TTL + LEEWAY - timedelta(seconds=1))

    assert_refused(service, issued.token)


def test_revoke_records_the_token_id_until_expiry_plus_leeway(
    make_service: ServiceFactory,
) -> None:
    revocations = RecordingRevocationList()
    service = make_service(revocations=revocations)
    issued = service.issue(subject="user-1")

    service.revoke(issued.claims)

    assert revocations.added == {issued.claims.token_id: issued.claims.expires_at + LEEWAY}


def test_a_failing_revocation_store_is_reported_as_unavailable_not_as_a_bad_token(
    make_service: ServiceFactory,
) -> None:
    class DownRevocationList(InMemoryRevocationList):
        def contains(self, token_id: str) -> bool:
            raise Unavailable(f"revocation store is down, cannot look up {token_id}")

    service = make_service(revocations=DownRevocationList(FakeClock()))
    issued = service.issue(subject="user-1")

    with pytest.raises(Unavailable):
        service.verify(issued.token)


def test_token_issued_before_rotation_still_verifies_after_it(
    make_service: ServiceFactory, keys: TokenKeys
) -> None:
    issued = make_service().issue(subject="user-1")

    rotated = make_service(keys=rotate(keys))

    assert rotated.verify(issued.token) == issued.claims


def test_tokens_issued_after_rotation_use_the_new_kids(
    make_service: ServiceFactory, keys: TokenKeys
) -> None:
    new_keys = rotate(keys)

    issued = make_service(keys=new_keys).issue(subject="user-1")

    assert header_of(issued.token)["kid"] == new_keys.wrapping[-1]["kid"]
    assert header_of(inner_jws(issued.token, new_keys))["kid"] == new_keys.signing[-1]["kid"]
    assert new_keys.wrapping[-1]["kid"] != keys.wrapping[0]["kid"]


def test_token_from_a_retired_key_is_refused(make_service: ServiceFactory, keys: TokenKeys) -> None:
    issued = make_service().issue(subject="user-1")
    rotated = rotate(keys)
    retired = TokenKeys(signing=rotated.signing[1:], wrapping=rotated.wrapping[1:])

    assert_refused(make_service(keys=retired), issued.token)


@pytest.mark.parametrize(
    "settings",
    [
        {"access_ttl": timedelta(0)},
        {"refresh_ttl": timedelta(seconds=-1)},
        {"leeway": timedelta(seconds=-1)},
    ],
)
def test_nonsensical_lifetimes_are_refused_at_construction(
    make_service: ServiceFactory, settings: dict[str, timedelta]
) -> None:
    with pytest.raises(ValueError):
        make_service(**settings)
