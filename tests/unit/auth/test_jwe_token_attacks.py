"""JweTokenService refuses forged, tampered, confused, oversized and malformed tokens."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from jwcrypto import jwe, jwk

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import TokenKeys, generate_token_keys
from adapters.auth.nested_jwt import MAX_TOKEN_LENGTH, seal
from core.ports.tokens import IssuedToken
from tests.fakes import RecordingRevocationList

from .conftest import ServiceFactory
from .tokens import assert_refused, b64, claims_of, encrypt, header_of, inner_jws, sign


@pytest.fixture
def issued(service: JweTokenService) -> IssuedToken:
    return service.issue(subject="user-1", permissions=frozenset({"items:read"}))


@pytest.mark.parametrize("part", range(5))
def test_tampered_byte_in_any_jwe_part_is_refused(
    service: JweTokenService, issued: IssuedToken, part: int
) -> None:
    pieces = issued.token.split(".")
    # A middle character: every one of its six bits is data, unlike a final one's padding bits.
    middle = len(pieces[part]) // 2
    swapped = "B" if pieces[part][middle] == "A" else "A"
    pieces[part] = pieces[part][:middle] + swapped + pieces[part][middle + 1 :]

    assert_refused(service, ".".join(pieces))


@pytest.mark.parametrize(
    ("alg", "key"),
    [
        ("dir", jwk.JWK.generate(kty="oct", size=512)),
        ("A128KW", jwk.JWK.generate(kty="oct", size=128)),
        ("RSA-OAEP", jwk.JWK.generate(kty="RSA", size=2048)),
    ],
)
def test_outer_header_with_another_key_algorithm_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys, alg: str, key: jwk.JWK
) -> None:
    forged = encrypt(inner_jws(issued.token, keys), key, alg=alg, kid=keys.wrapping[0]["kid"])

    assert_refused(service, forged)


def test_outer_header_with_alg_none_is_refused(
    service: JweTokenService, issued: IssuedToken
) -> None:
    header = {**header_of(issued.token), "alg": "none"}
    forged = ".".join([b64(json.dumps(header).encode()), *issued.token.split(".")[1:]])

    assert_refused(service, forged)


@pytest.mark.parametrize(
    "change",
    [
        {"enc": "A256GCM"},
        {"zip": "DEF"},
        {"cty": None},
        {"kid": None},
        {"typ": "JWE"},
        {"jku": "https://attacker.example/keys"},
    ],
    ids=["enc-A256GCM", "zip", "no-cty", "no-kid", "extra-typ", "jku"],
)
def test_outer_header_other_than_ours_is_refused_even_with_the_real_key(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys, change: dict[str, Any]
) -> None:
    forged = encrypt(inner_jws(issued.token, keys), keys.wrapping[0], **change)

    assert_refused(service, forged)


def test_decompression_bomb_is_refused(service: JweTokenService, keys: TokenKeys) -> None:
    # Highly compressible plaintext: the CVE-2024-28102 shape, small on the wire.
    bomb = encrypt("A" * 2_000_000, keys.wrapping[0], zip="DEF")

    assert len(bomb) < MAX_TOKEN_LENGTH
    assert_refused(service, bomb)


@pytest.mark.parametrize(
    "change",
    [
        {"alg": "HS512", "key": jwk.JWK.generate(kty="oct", size=512)},
        {"typ": None},
        {"typ": "JWT"},
        {"kid": "unknown"},
        {"cty": "JWT"},
    ],
    ids=["alg-HS512", "no-typ", "typ-JWT", "unknown-kid", "extra-cty"],
)
def test_inner_header_other_than_ours_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys, change: dict[str, Any]
) -> None:
    change = dict(change)  # the parametrized dict is shared by every run of this test
    key = change.pop("key", keys.signing[0])
    signed = sign(claims_of(issued.token, keys), key, **{"kid": keys.signing[0]["kid"], **change})

    assert_refused(service, encrypt(signed, keys.wrapping[0]))


def test_inner_token_signed_with_alg_none_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys
) -> None:
    header = {"alg": "none", "kid": keys.signing[0]["kid"], "typ": "at+jwt"}
    claims = json.dumps(claims_of(issued.token, keys)).encode()
    unsigned = f"{b64(json.dumps(header).encode())}.{b64(claims)}."

    assert_refused(service, encrypt(unsigned, keys.wrapping[0]))


def test_inner_token_signed_with_the_wrapping_key_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys
) -> None:
    wrapper = keys.wrapping[0]
    # The same bytes and kid without "use", which jwcrypto would otherwise refuse to sign with.
    as_mac_key = jwk.JWK(kty="oct", k=wrapper["k"], kid=wrapper["kid"])
    signed = sign(claims_of(issued.token, keys), as_mac_key)

    assert_refused(service, encrypt(signed, keys.wrapping[0]))


def test_bare_jws_where_a_jwe_is_expected_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys
) -> None:
    assert_refused(service, inner_jws(issued.token, keys))


def test_jwe_whose_payload_is_plain_claims_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys
) -> None:
    plain = json.dumps(claims_of(issued.token, keys))

    assert_refused(service, encrypt(plain, keys.wrapping[0]))


def test_jwe_nested_in_a_jwe_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys
) -> None:
    assert_refused(service, encrypt(issued.token, keys.wrapping[0]))


def test_json_serialized_jwe_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys
) -> None:
    token = jwe.JWE(
        inner_jws(issued.token, keys).encode(),
        protected=header_of(issued.token),
        recipient=keys.wrapping[0],
    )

    assert_refused(service, token.serialize())


def test_token_of_one_megabyte_is_refused(service: JweTokenService, issued: IssuedToken) -> None:
    head, *rest = issued.token.split(".")
    padding = "A" * (1024 * 1024)

    assert_refused(service, ".".join([head, padding, *rest[1:]]))
    assert_refused(service, "A" * (1024 * 1024))


def test_token_from_an_unknown_key_set_is_refused(
    service: JweTokenService, make_service: ServiceFactory
) -> None:
    stranger = make_service(keys=generate_token_keys()).issue(subject="user-1")

    assert_refused(service, stranger.token)


def test_forged_tokens_never_reach_the_revocation_store(make_service: ServiceFactory) -> None:
    revocations = RecordingRevocationList()
    service = make_service(revocations=revocations)
    stranger = make_service(keys=generate_token_keys()).issue(subject="user-1")

    assert_refused(service, stranger.token)
    assert_refused(service, "a.b.c.d.e")

    assert revocations.asked == []


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a token",
        "a.b.c.d.e",
        "....",
        "a.b.c.d.e.f",
        "e30.e30.e30.e30.e30",
        None,
        b"bytes.are.not.a.token",
        12345,
    ],
)
def test_garbage_is_refused_with_the_generic_message(service: JweTokenService, token: Any) -> None:
    assert_refused(service, token)


@pytest.mark.parametrize("decorate", [lambda t: t + "\n", lambda t: " " + t, lambda t: t + "=="])
def test_token_with_stray_characters_is_refused(
    service: JweTokenService, issued: IssuedToken, decorate: Callable[[str], str]
) -> None:
    assert_refused(service, decorate(issued.token))


def test_truncated_token_is_refused(service: JweTokenService, issued: IssuedToken) -> None:
    assert_refused(service, issued.token[:-10])
    assert_refused(service, issued.token.rsplit(".", 1)[0])


@pytest.mark.parametrize(
    "change",
    [
        {"exp": "never"},
        {"exp": True},
        {"exp": 10**20},
        {"exp": 1.5e12},
        {"iat": None},
        {"jti": None},
        {"jti": ""},
        {"sub": 42},
        {"permissions": "items:read"},
        {"permissions": ["items:read", 7]},
        {"aud": ["hexapi-clients"]},
        {"iss": None},
        {"uid": 99},
    ],
    ids=lambda change: "-".join(f"{name}={value!r}" for name, value in change.items()),
)
def test_authentic_token_with_malformed_claims_is_refused(
    service: JweTokenService, issued: IssuedToken, keys: TokenKeys, change: dict[str, Any]
) -> None:
    claims = {**claims_of(issued.token, keys), **change}
    claims = {name: value for name, value in claims.items() if value is not None}

    assert_refused(service, seal(claims, typ="at+jwt", keys=keys))


def test_duplicate_header_members_are_refused(
    service: JweTokenService, issued: IssuedToken
) -> None:
    header = json.dumps(header_of(issued.token))[:-1] + ', "alg": "A256KW"}'
    forged = ".".join([b64(header.encode()), *issued.token.split(".")[1:]])

    assert_refused(service, forged)
