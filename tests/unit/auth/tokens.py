"""Helpers that open and forge tokens with jwcrypto directly, for the token tests."""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any

import pytest
from jwcrypto import jwe, jwk, jws

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import TokenKeys
from adapters.auth.token_claims import INVALID_TOKEN
from core.errors import Unauthorized
from core.ports.tokens import TokenType

ALL_JWE_ALGS = ["A256KW", "A128KW", "dir", "RSA-OAEP", "A256CBC-HS512", "A256GCM"]


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def header_of(compact: str) -> dict[str, Any]:
    """The protected header of a compact JWS or JWE, unchecked."""
    first = compact.split(".")[0]
    header: dict[str, Any] = json.loads(urlsafe_b64decode(first + "=" * (-len(first) % 4)))
    return header


def inner_jws(token: str, keys: TokenKeys) -> str:
    """The signed JWT inside one of our tokens."""
    outer = jwe.JWE()
    outer.deserialize(token, key=keys.wrapping_key(header_of(token)["kid"]))
    return str(outer.payload.decode())


def claims_of(token: str, keys: TokenKeys) -> dict[str, Any]:
    """The claims inside one of our tokens."""
    inner = jws.JWS()
    signed = inner_jws(token, keys)
    inner.deserialize(signed, key=keys.signing_key(header_of(signed)["kid"]))
    claims: dict[str, Any] = json.loads(inner.payload)
    return claims


def encrypt(plaintext: str, key: jwk.JWK, **header: Any) -> str:
    """A compact JWE of plaintext; header entries override our usual outer header."""
    protected = {"alg": "A256KW", "enc": "A256CBC-HS512", "kid": key.get("kid"), "cty": "JWT"}
    protected.update(header)
    token = jwe.JWE(plaintext.encode(), protected={k: v for k, v in protected.items() if v})
    token.allowed_algs = ALL_JWE_ALGS
    token.add_recipient(key)
    return str(token.serialize(compact=True))


def sign(claims: dict[str, Any], key: jwk.JWK, **header: Any) -> str:
    """A compact JWS of the claims; header entries override our usual inner header."""
    protected = {"alg": "HS256", "kid": key.get("kid"), "typ": "at+jwt"}
    protected.update(header)
    token = jws.JWS(json.dumps(claims).encode())
    token.allowed_algs = [protected["alg"]]
    token.add_signature(key, protected={k: v for k, v in protected.items() if v})
    return str(token.serialize(compact=True))


def assert_refused(
    service: JweTokenService, token: Any, token_type: TokenType = TokenType.ACCESS
) -> None:
    """The token is refused with the one generic message."""
    with pytest.raises(Unauthorized) as refused:
        service.verify(token, token_type=token_type)
    assert refused.value.message == INVALID_TOKEN
