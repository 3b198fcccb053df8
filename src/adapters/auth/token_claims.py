"""Token claims: built at issue, checked against our clock, issuer and audience at verify."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.errors import Unauthorized
from core.ports.tokens import EXPIRED_TOKEN, INVALID_TOKEN, TokenClaims, TokenType

__all__ = ["EXPIRED_TOKEN", "INVALID_TOKEN", "ClaimRules", "claims_from_json", "claims_to_json"]

# NumericDate bounds (year 1970 to 9999): anything outside is forged, and checking first
# keeps datetime conversion from overflowing.
_LATEST_TIMESTAMP = 253_402_300_799


@dataclass(frozen=True, slots=True)
class ClaimRules:
    """What every token must say about its issuer and audience, and the clock skew tolerated."""

    issuer: str
    audience: str
    leeway: timedelta


def claims_to_json(claims: TokenClaims, rules: ClaimRules) -> dict[str, object]:
    """The JWT claims set carrying these claims."""
    issued = int(claims.issued_at.timestamp())
    payload: dict[str, object] = {
        "sub": claims.subject,
        "iat": issued,
        "nbf": issued,
        "exp": int(claims.expires_at.timestamp()),
        "jti": claims.token_id,
        "iss": rules.issuer,
        "aud": rules.audience,
        "permissions": sorted(claims.permissions),
    }
    if claims.session_uid is not None:
        payload["uid"] = claims.session_uid
    if claims.family_id is not None:
        payload["fam"] = claims.family_id
    return payload


def claims_from_json(
    payload: Mapping[str, object], *, token_type: TokenType, now: datetime, rules: ClaimRules
) -> TokenClaims:
    """The claims of an authentic payload that is valid now; Unauthorized otherwise."""
    if payload.get("iss") != rules.issuer or payload.get("aud") != rules.audience:
        raise Unauthorized(INVALID_TOKEN)
    issued, not_before, expires = (_timestamp(payload, name) for name in ("iat", "nbf", "exp"))
    moment = now.timestamp()
    leeway = rules.leeway.total_seconds()
    if moment >= expires + leeway:
        raise Unauthorized(EXPIRED_TOKEN)
    if issued > moment + leeway or not_before > moment + leeway:
        raise Unauthorized(INVALID_TOKEN)
    return TokenClaims(
        subject=_text(payload.get("sub")),
        token_id=_text(payload.get("jti")),
        token_type=token_type,
        issued_at=datetime.fromtimestamp(issued, UTC),
        expires_at=datetime.fromtimestamp(expires, UTC),
        permissions=_permissions(payload.get("permissions")),
        session_uid=None if "uid" not in payload else _text(payload["uid"]),
        family_id=None if "fam" not in payload else _text(payload["fam"]),
    )


def _timestamp(payload: Mapping[str, object], name: str) -> int:
    value = payload.get(name)
    # bool is an int subclass; `true` is not a date
    if type(value) is not int or not 0 <= value <= _LATEST_TIMESTAMP:
        raise Unauthorized(INVALID_TOKEN)
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise Unauthorized(INVALID_TOKEN)
    return value


def _permissions(value: object) -> frozenset[str]:
    if not isinstance(value, list):
        raise Unauthorized(INVALID_TOKEN)
    return frozenset(_text(item) for item in value)
