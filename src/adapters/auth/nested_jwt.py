"""The token wire format: an HS256-signed JWT nested inside an A256KW/A256CBC-HS512 JWE."""

from __future__ import annotations

import json
import re
from base64 import urlsafe_b64decode
from collections.abc import Mapping
from typing import Any, cast

from jwcrypto import jwt

from adapters.auth.keys import SIGNING_ALG, WRAPPING_ALG, TokenKeys

CONTENT_ALG = "A256CBC-HS512"
MAX_TOKEN_LENGTH = 8 * 1024
_PART = re.compile(r"[A-Za-z0-9_-]+")
# Anything else (zip, crit, jku, jwk, epk, ...) is refused: we never issue it, and each one is
# a feature an attacker could steer (zip is the CVE-2024-28102 decompression bomb).
_OUTER_HEADER = {"alg": WRAPPING_ALG, "enc": CONTENT_ALG, "cty": "JWT"}
_INNER_HEADER = {"alg": SIGNING_ALG}


class MalformedToken(Exception):
    """The token is not one of ours; callers turn this into a generic Unauthorized."""


def seal(claims: Mapping[str, object], *, typ: str, keys: TokenKeys) -> str:
    """Sign the claims with the newest signing key, then encrypt with the newest wrapping key."""
    signer, wrapper = keys.signing[-1], keys.wrapping[-1]
    inner = jwt.JWT(header={**_INNER_HEADER, "kid": signer["kid"], "typ": typ}, claims=dict(claims))
    inner.make_signed_token(signer)
    outer = jwt.JWT(header={**_OUTER_HEADER, "kid": wrapper["kid"]}, claims=inner.serialize())
    outer.make_encrypted_token(wrapper)
    return cast(str, outer.serialize())


def unseal(token: object, *, typ: str, keys: TokenKeys) -> dict[str, Any]:
    """The claims of a token sealed with these keys and of this typ; may raise anything else."""
    header = _header(token, parts=5, allowed=_OUTER_HEADER)
    wrapper = keys.wrapping_key(header["kid"])
    if wrapper is None:
        raise MalformedToken("unknown wrapping key")
    # expected_type pins each layer (CVE-2022-3102, CVE-2023-6681 style confusion); algs narrows
    # jwcrypto's permissive defaults; check_claims=False keeps it from reading the wall clock.
    outer = jwt.JWT(
        jwt=token,
        key=wrapper,
        algs=[WRAPPING_ALG, CONTENT_ALG],
        expected_type="JWE",
        check_claims=False,
    )
    signed = outer.claims
    header = _header(signed, parts=3, allowed={**_INNER_HEADER, "typ": typ})
    signer = keys.signing_key(header["kid"])
    if signer is None:
        raise MalformedToken("unknown signing key")
    inner = jwt.JWT(
        jwt=signed, key=signer, algs=[SIGNING_ALG], expected_type="JWS", check_claims=False
    )
    payload = json.loads(inner.claims, object_pairs_hook=_unique_members)
    if not isinstance(payload, dict):
        raise MalformedToken("claims are not a JSON object")
    return payload


def _header(token: object, *, parts: int, allowed: Mapping[str, str]) -> dict[str, Any]:
    """The protected header, after a shape check cheap enough to run before any parsing."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise MalformedToken("not a string or too long")
    pieces = token.split(".")
    if len(pieces) != parts or not all(_PART.fullmatch(piece) for piece in pieces):
        raise MalformedToken("not a compact serialization with every part present")
    encoded = pieces[0] + "=" * (-len(pieces[0]) % 4)
    header = json.loads(urlsafe_b64decode(encoded), object_pairs_hook=_unique_members)
    if not isinstance(header, dict) or set(header) != {*allowed, "kid"}:
        raise MalformedToken("unexpected header parameters")
    if any(header[name] != value for name, value in allowed.items()):
        raise MalformedToken("unexpected header values")
    return header


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Duplicate members let two parsers read one header differently; refuse them outright.
    members = dict(pairs)
    if len(members) != len(pairs):
        raise MalformedToken("duplicate JSON member")
    return members
