"""Token verifications counted by outcome, around any TokenService."""

from __future__ import annotations

from collections.abc import Callable

from adapters.metrics.direct import adder
from adapters.metrics.instruments import ServiceMetrics
from core.errors import RevokedToken, Unauthorized, Unavailable
from core.ports.tokens import EXPIRED_TOKEN, IssuedToken, TokenClaims, TokenService, TokenType

OUTCOMES = ("valid", "expired", "revoked", "invalid", "unavailable")


class MeteredTokenService:
    """The inner service, unchanged, with each `verify` counted as one outcome."""

    def __init__(self, inner: TokenService, metrics: ServiceMetrics) -> None:
        self._inner = inner
        self._outcomes: dict[str, Callable[[float], None]] = {
            outcome: adder(metrics.token_verifications.labels(outcome=outcome))
            for outcome in OUTCOMES
        }

    def issue(
        self,
        *,
        subject: str,
        permissions: frozenset[str] = frozenset(),
        session_uid: str | None = None,
        family_id: str | None = None,
        token_type: TokenType = TokenType.ACCESS,
    ) -> IssuedToken:
        """A new token, from the inner service."""
        return self._inner.issue(
            subject=subject,
            permissions=permissions,
            session_uid=session_uid,
            family_id=family_id,
            token_type=token_type,
        )

    def verify(self, token: str, *, token_type: TokenType = TokenType.ACCESS) -> TokenClaims:
        """The inner service's answer; its outcome counted."""
        try:
            claims = self._inner.verify(token, token_type=token_type)
        except RevokedToken:
            self._outcomes["revoked"](1.0)
            raise
        except Unauthorized as error:
            self._outcomes["expired" if error.message == EXPIRED_TOKEN else "invalid"](1.0)
            raise
        except Unavailable:
            self._outcomes["unavailable"](1.0)
            raise
        self._outcomes["valid"](1.0)
        return claims

    def revoke(self, claims: TokenClaims) -> None:
        """Revoke through the inner service."""
        self._inner.revoke(claims)


def metered_tokens(inner: TokenService, metrics: ServiceMetrics | None) -> TokenService:
    """`inner` itself when metrics are off, else the counting wrapper."""
    return inner if metrics is None else MeteredTokenService(inner, metrics)
