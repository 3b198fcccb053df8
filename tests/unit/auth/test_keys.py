"""The token key set: generation, rotation, JSON form and refusal of bad sets."""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode
from typing import Any

import pytest
from jwcrypto import jwk

from adapters.auth.keys import (
    InvalidTokenKeys,
    TokenKeys,
    dump_token_keys,
    generate_token_keys,
    load_token_keys,
    rotate,
)


def _bits(key: jwk.JWK) -> int:
    encoded = key["k"]
    return 8 * len(urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def _dumped(keys: TokenKeys) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(dump_token_keys(keys))["keys"]
    return entries


def test_generated_set_has_one_256_bit_key_of_each_kind_with_distinct_kids() -> None:
    keys = generate_token_keys()

    assert len(keys.signing) == len(keys.wrapping) == 1
    (signer,), (wrapper,) = keys.signing, keys.wrapping
    assert signer["kid"] and wrapper["kid"] and signer["kid"] != wrapper["kid"]
    assert signer["k"] != wrapper["k"]
    assert _bits(signer) == _bits(wrapper) == 256


def test_two_generated_sets_share_no_key() -> None:
    first, second = generate_token_keys(), generate_token_keys()

    assert first.signing[0]["k"] != second.signing[0]["k"]
    assert first.signing[0]["kid"] != second.signing[0]["kid"]


def test_dump_writes_a_jwk_set_with_kid_use_and_alg_on_every_key() -> None:
    keys = generate_token_keys()

    entries = _dumped(keys)

    assert [(e["kty"], e["use"], e["alg"]) for e in entries] == [
        ("oct", "sig", "HS256"),
        ("oct", "enc", "A256KW"),
    ]
    assert [e["kid"] for e in entries] == [keys.signing[0]["kid"], keys.wrapping[0]["kid"]]


def test_dump_and_load_round_trip_keeps_every_key_in_order() -> None:
    keys = rotate(rotate(generate_token_keys()))

    loaded = load_token_keys(dump_token_keys(keys))

    assert loaded == keys
    assert [k["kid"] for k in loaded.signing] == [k["kid"] for k in keys.signing]


def test_rotate_adds_a_newest_key_of_each_kind_and_keeps_the_old_ones() -> None:
    keys = generate_token_keys()

    rotated = rotate(keys)

    assert rotated.signing[:-1] == keys.signing and rotated.wrapping[:-1] == keys.wrapping
    assert rotated.signing[-1]["kid"] not in {k["kid"] for k in keys.signing}
    assert rotated.wrapping[-1]["kid"] not in {k["kid"] for k in keys.wrapping}


def test_lookup_by_kid_finds_only_keys_of_the_right_kind() -> None:
    keys = generate_token_keys()
    signer, wrapper = keys.signing[0], keys.wrapping[0]
    signer_kid, wrapper_kid = signer["kid"], wrapper["kid"]

    assert keys.signing_key(signer_kid) is signer
    assert keys.wrapping_key(wrapper_kid) is wrapper
    assert keys.signing_key(wrapper_kid) is None
    assert keys.wrapping_key("no-such-kid") is None


def test_invalid_token_keys_is_a_value_error() -> None:
    assert issubclass(InvalidTokenKeys, ValueError)


def _valid_entries() -> list[dict[str, Any]]:
    return _dumped(generate_token_keys())


def _short_signing_key(entries: list[dict[str, Any]]) -> None:
    entries[0]["k"] = jwk.JWK.generate(kty="oct", size=128)["k"]


def _long_wrapping_key(entries: list[dict[str, Any]]) -> None:
    entries[1]["k"] = jwk.JWK.generate(kty="oct", size=512)["k"]


def _set(name: str, value: Any) -> Any:
    def change(entries: list[dict[str, Any]]) -> None:
        entries[0][name] = value

    return change


def _drop(name: str) -> Any:
    def change(entries: list[dict[str, Any]]) -> None:
        del entries[0][name]

    return change


def _copy_kid(entries: list[dict[str, Any]]) -> None:
    entries[1]["kid"] = entries[0]["kid"]


def _only_wrapping(entries: list[dict[str, Any]]) -> None:
    del entries[0]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (_short_signing_key, "128 bits"),
        (_long_wrapping_key, "512 bits"),
        (_drop("kid"), "kid"),
        (_set("kid", ""), "kid"),
        (_copy_kid, "unique"),
        (_set("kty", "RSA"), "oct"),
        (_set("use", "both"), '"use"'),
        (_drop("use"), '"use"'),
        (_set("alg", "HS512"), '"alg"'),
        (_set("k", "not base64!"), "base64url"),
        (_set("k", 1234), "strings"),
        (_only_wrapping, '"sig"'),
    ],
)
def test_malformed_or_short_keys_raise_invalid_token_keys(change: Any, complaint: str) -> None:
    entries = _valid_entries()
    change(entries)

    with pytest.raises(InvalidTokenKeys, match=complaint):
        load_token_keys(json.dumps({"keys": entries}))


@pytest.mark.parametrize(
    "text", ["", "not json", "[]", '{"keys": {}}', '{"key": []}', '{"keys": [42]}']
)
def test_text_that_is_not_a_jwk_set_raises_invalid_token_keys(text: str) -> None:
    with pytest.raises(InvalidTokenKeys):
        load_token_keys(text)


def test_empty_key_set_is_refused() -> None:
    with pytest.raises(InvalidTokenKeys, match="at least one"):
        load_token_keys('{"keys": []}')


def test_error_message_never_echoes_key_material() -> None:
    entries = _valid_entries()
    _short_signing_key(entries)

    with pytest.raises(InvalidTokenKeys) as refused:
        load_token_keys(json.dumps({"keys": entries}))

    assert entries[0]["k"] not in str(refused.value)


def test_token_keys_built_in_code_are_checked_too() -> None:
    short = jwk.JWK.generate(kty="oct", size=128, kid="short")

    with pytest.raises(InvalidTokenKeys, match="short"):
        TokenKeys(signing=[short], wrapping=generate_token_keys().wrapping)
