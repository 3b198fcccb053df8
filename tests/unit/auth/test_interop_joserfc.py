"""An independent JOSE implementation (joserfc) opens and verifies the service's tokens."""

from __future__ import annotations

import json
from datetime import timedelta

from joserfc import jwe, jws
from joserfc.jwk import KeySet

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import dump_token_keys, generate_token_keys, rotate
from adapters.auth.revocations import InMemoryRevocationList
from core.ports.tokens import TokenType
from tests.fakes import FakeClock


def test_joserfc_decrypts_and_verifies_a_token_with_the_same_jwk_set() -> None:
    keys = rotate(generate_token_keys())
    clock = FakeClock()
    service = JweTokenService(
        keys=keys,
        clock=clock,
        revocations=InMemoryRevocationList(clock),
        issuer="hexapi",
        audience="api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=14),
    )
    issued = service.issue(subject="ann", permissions=frozenset({"items:admin"}), family_id="f1")
    key_set = KeySet.import_key_set(json.loads(dump_token_keys(keys)))

    outer = jwe.decrypt_compact(issued.token, key_set, algorithms=["A256KW", "A256CBC-HS512"])
    assert outer.headers()["kid"] == keys.wrapping[-1]["kid"]
    assert outer.plaintext is not None
    inner = jws.deserialize_compact(outer.plaintext, key_set, algorithms=["HS256"])
    assert inner.headers() == {"alg": "HS256", "kid": keys.signing[-1]["kid"], "typ": "at+jwt"}
    claims = json.loads(inner.payload)
    assert claims["sub"] == "ann" and claims["permissions"] == ["items:admin"]
    assert (claims["iss"], claims["aud"], claims["fam"]) == ("hexapi", "api", "f1")
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert service.verify(issued.token, token_type=TokenType.ACCESS) == issued.claims
