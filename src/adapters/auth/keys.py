"""The server-held JWK set that signs and wraps tokens, with its JSON and file forms."""

from __future__ import annotations

import binascii
import contextlib
import json
import os
import re
import secrets
import tempfile
from base64 import urlsafe_b64decode
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jwcrypto import jwk

SIGNING_ALG = "HS256"
WRAPPING_ALG = "A256KW"
KEY_BITS = 256
_ALG_FOR_USE = {"sig": SIGNING_ALG, "enc": WRAPPING_ALG}
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class InvalidTokenKeys(ValueError):
    """The token key set is malformed, incomplete or too weak; the message never holds key bytes."""


@dataclass(frozen=True)
class TokenKeys:
    """Oct keys for HS256 signing and A256KW wrapping: the last of each issues, all verify."""

    signing: list[jwk.JWK]
    wrapping: list[jwk.JWK]

    def __post_init__(self) -> None:
        _check_role(self.signing, "sig")
        _check_role(self.wrapping, "enc")
        kids = [key.get("kid") for key in (*self.signing, *self.wrapping)]
        if len(set(kids)) != len(kids):
            raise InvalidTokenKeys("token keys: every kid must be unique")

    def signing_key(self, kid: object) -> jwk.JWK | None:
        """The signing key with this kid, if the set still holds it."""
        return next((key for key in self.signing if key.get("kid") == kid), None)

    def wrapping_key(self, kid: object) -> jwk.JWK | None:
        """The wrapping key with this kid, if the set still holds it."""
        return next((key for key in self.wrapping if key.get("kid") == kid), None)


def generate_token_keys() -> TokenKeys:
    """A fresh set with one signing and one wrapping key."""
    return TokenKeys(signing=[_new_key("sig")], wrapping=[_new_key("enc")])


def rotate(keys: TokenKeys) -> TokenKeys:
    """The same set plus a new newest key of each kind; old tokens keep verifying."""
    return TokenKeys(
        signing=[*keys.signing, _new_key("sig")],
        wrapping=[*keys.wrapping, _new_key("enc")],
    )


def retire(keys: TokenKeys, kid: str) -> TokenKeys:
    """The set without the key `kid`; tokens it signed or wrapped stop verifying.

    The newest key of each kind issues new tokens, so it cannot be retired: rotate first.
    """
    signing = [key for key in keys.signing if key.get("kid") != kid]
    wrapping = [key for key in keys.wrapping if key.get("kid") != kid]
    if len(signing) + len(wrapping) == len(keys.signing) + len(keys.wrapping):
        raise InvalidTokenKeys(f"token keys: no key has kid {kid!r}")
    if signing[-1:] != keys.signing[-1:] or wrapping[-1:] != keys.wrapping[-1:]:
        raise InvalidTokenKeys(f"token keys: {kid!r} is the newest key; rotate before retiring it")
    return TokenKeys(signing=signing, wrapping=wrapping)


def dump_token_keys(keys: TokenKeys) -> str:
    """The set as JWK-set JSON, oldest key first."""
    entries = [_export(key, "sig") for key in keys.signing]
    entries += [_export(key, "enc") for key in keys.wrapping]
    return json.dumps({"keys": entries}, indent=2) + "\n"


def load_token_keys(text: str) -> TokenKeys:
    """Parse JWK-set JSON as written by `dump_token_keys`; InvalidTokenKeys if it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidTokenKeys("token keys are not valid JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise InvalidTokenKeys('token keys must be a JWK set: {"keys": [...]}')
    imported = [_import(entry, index) for index, entry in enumerate(data["keys"])]
    return TokenKeys(
        signing=[key for key in imported if key["use"] == "sig"],
        wrapping=[key for key in imported if key["use"] == "enc"],
    )


def read_token_keys_file(path: str | os.PathLike[str]) -> TokenKeys:
    """Load the set from a file; OSError if unreadable, InvalidTokenKeys naming it if malformed."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        return load_token_keys(text)
    except InvalidTokenKeys as exc:
        raise InvalidTokenKeys(f"{os.fspath(path)}: {exc}") from None


def write_token_keys_file(path: str | os.PathLike[str], keys: TokenKeys) -> None:
    """Replace the file atomically with the set, readable by its owner only."""
    target = Path(path)
    # mkstemp creates the file 0600, so the secret is never readable by others, not even briefly;
    # renaming within one directory means readers see the old set or the new one, never half.
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(dump_token_keys(keys))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _new_key(use: str) -> jwk.JWK:
    kid = f"{use}-{secrets.token_urlsafe(12)}"
    return jwk.JWK.generate(kty="oct", size=KEY_BITS, kid=kid, use=use, alg=_ALG_FOR_USE[use])


def _export(key: jwk.JWK, use: str) -> dict[str, str]:
    alg = _ALG_FOR_USE[use]
    return {"kty": "oct", "kid": key["kid"], "use": use, "alg": alg, "k": key["k"]}


def _import(entry: Any, index: int) -> jwk.JWK:
    where = f"token key #{index}"
    if not isinstance(entry, dict):
        raise InvalidTokenKeys(f"{where} is not a JSON object")
    use = entry.get("use")
    if use not in _ALG_FOR_USE:
        raise InvalidTokenKeys(f'{where}: "use" must be "sig" or "enc"')
    if entry.get("alg") != _ALG_FOR_USE[use]:
        raise InvalidTokenKeys(f'{where}: "alg" must be "{_ALG_FOR_USE[use]}" for use "{use}"')
    fields = {name: entry.get(name) for name in ("kty", "kid", "k")}
    if not all(isinstance(value, str) for value in fields.values()):
        raise InvalidTokenKeys(f'{where}: "kty", "kid" and "k" must be strings')
    if fields["kty"] != "oct" or _bits(fields["k"]) is None:
        raise InvalidTokenKeys(f'{where}: must be an oct key with a base64url "k"')
    try:
        return jwk.JWK(use=use, alg=entry["alg"], **fields)
    except Exception:  # jwcrypto raises several types; the message must not echo the key
        raise InvalidTokenKeys(f"{where} is not a valid JWK") from None


def _check_role(keys: list[jwk.JWK], use: str) -> None:
    if not keys:
        raise InvalidTokenKeys(f'token keys need at least one key with use "{use}"')
    alg = _ALG_FOR_USE[use]
    for key in keys:
        kid = key.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidTokenKeys(f'every token key needs a "kid" (one with use "{use}" has none)')
        if key.get("kty") != "oct" or key.get("use", use) != use or key.get("alg", alg) != alg:
            raise InvalidTokenKeys(f'token key "{kid}" must be an oct key for {alg} (use "{use}")')
        bits = _bits(key.get("k"))
        if bits is None:
            raise InvalidTokenKeys(f'token key "{kid}": "k" is not base64url')
        # A256KW takes exactly 256 bits; HS256 accepts more, but nothing shorter is safe.
        if bits < KEY_BITS or (use == "enc" and bits != KEY_BITS):
            raise InvalidTokenKeys(f'token key "{kid}" has {bits} bits; {alg} needs {KEY_BITS}')


def _bits(encoded: object) -> int | None:
    if not isinstance(encoded, str) or not _BASE64URL.fullmatch(encoded):
        return None
    try:
        return 8 * len(urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except binascii.Error:
        return None
