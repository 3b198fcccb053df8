"""JweTokenService: the TokenService port on nested JWS-in-JWE tokens (jwcrypto)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from adapters.auth.keys import TokenKeys
from adapters.auth.nested_jwt import seal, unseal
from adapters.auth.token_claims import (
    EXPIRED_TOKEN,
    INVALID_TOKEN,
    ClaimRules,
    claims_from_json,
    claims_to_json,
)
from adapters.auth.verified_cache import VerifiedTokenCache
from core.errors import RevokedToken, Unauthorized
from core.ports.clock import Clock
from core.ports.tokens import IssuedToken, RevocationList, TokenClaims, TokenType

# The inner header's typ tells the two kinds apart (RFC 8725 explicit typing).
_TYP = {TokenType.ACCESS: "at+jwt", TokenType.REFRESH: "refresh+jwt"}


def random_token_id() -> str:
    """A fresh unguessable jti."""
    return secrets.token_urlsafe(16)


class JweTokenService:
    """Issues and verifies encrypted, signed tokens with a server-held key set."""

    def __init__(
        self,
        *,
        keys: TokenKeys,
        clock: Clock,
        revocations: RevocationList,
        issuer: str,
        audience: str,
        access_ttl: timedelta,
        refresh_ttl: timedelta,
        leeway: timedelta = timedelta(seconds=30),
        new_token_id: Callable[[], str] = random_token_id,
        cache_size: int = 0,
    ) -> None:
        if access_ttl <= timedelta(0) or refresh_ttl <= timedelta(0) or leeway < timedelta(0):
            raise ValueError("token lifetimes must be positive and the leeway not negative")
        self._keys = keys
        self._clock = clock
        self._revocations = revocations
        self._rules = ClaimRules(issuer=issuer, audience=audience, leeway=leeway)
        self._ttl = {TokenType.ACCESS: access_ttl, TokenType.REFRESH: refresh_ttl}
        self._new_token_id = new_token_id
        self._verified = VerifiedTokenCache(cache_size)

    def issue(
        self,
        *,
        subject: str,
        permissions: frozenset[str] = frozenset(),
        session_uid: str | None = None,
        family_id: str | None = None,
        token_type: TokenType = TokenType.ACCESS,
    ) -> IssuedToken:
        """A new token for the subject, signed and wrapped with the newest keys."""
        # JWT dates are whole seconds; truncating here makes the returned claims equal the
        # ones verify() will read back.
        issued_at = datetime.fromtimestamp(int(self._clock.now().timestamp()), UTC)
        claims = TokenClaims(
            subject=subject,
            token_id=self._new_token_id(),
            token_type=token_type,
            issued_at=issued_at,
            expires_at=issued_at + self._ttl[token_type],
            permissions=frozenset(permissions),
            session_uid=session_uid,
            family_id=family_id,
        )
        token = seal(claims_to_json(claims, self._rules), typ=_TYP[token_type], keys=self._keys)
        return IssuedToken(token=token, claims=claims)

    def verify(self, token: str, *, token_type: TokenType = TokenType.ACCESS) -> TokenClaims:
        """The claims of a valid, unexpired, unrevoked token of this type; else Unauthorized."""
        now = self._clock.now()
        claims = self._verified.get(token)
        if claims is not None and claims.token_type is token_type:
            if now >= claims.expires_at + self._rules.leeway:
                raise Unauthorized(EXPIRED_TOKEN)
        else:
            claims = self._open(token, token_type=token_type, now=now)
            self._verified.put(token, claims)
        # Outside the try: an unreachable revocation store is Unavailable, not a bad token, and
        # it is asked only about authentic tokens, so forged ones cost it nothing.
        if self._revocations.contains(claims.token_id):
            raise RevokedToken(INVALID_TOKEN, claims)
        return claims

    def _open(self, token: str, *, token_type: TokenType, now: datetime) -> TokenClaims:
        try:
            payload = unseal(token, typ=_TYP[token_type], keys=self._keys)
            return claims_from_json(payload, token_type=token_type, now=now, rules=self._rules)
        except Unauthorized:
            raise
        except Exception as exc:  # jwcrypto, json and base64 raise many types; all mean "not ours"
            raise Unauthorized(INVALID_TOKEN) from exc

    def revoke(self, claims: TokenClaims) -> None:
        """Refuse this token from now until it expires."""
        # verify() accepts a token until exp + leeway, so the deny-list must outlive it as long.
        self._revocations.add(claims.token_id, until=claims.expires_at + self._rules.leeway)
