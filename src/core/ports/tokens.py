"""Token ports: issuing and verifying bearer tokens, and the list of revoked ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

# The one message every refusal carries, so a client cannot probe which check failed;
# expiry alone is told apart because clients must know to refresh.
INVALID_TOKEN = "invalid token"
EXPIRED_TOKEN = "token has expired"

# Verifiers may accept a token this long past its `exp` (clock skew); whatever is kept to refuse
# a token must outlive it by as much.
MAX_LEEWAY = timedelta(minutes=5)


class TokenType(StrEnum):
    """What a token may be used for; verifying one type never accepts the other."""

    ACCESS = "access"
    REFRESH = "refresh"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a verified token says."""

    subject: str
    token_id: str
    token_type: TokenType
    issued_at: datetime
    expires_at: datetime
    permissions: frozenset[str] = frozenset()
    session_uid: str | None = None
    family_id: str | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A serialised token and what it carries."""

    token: str
    claims: TokenClaims

    @property
    def expires_in(self) -> int:
        """Whole seconds from issue to expiry."""
        return int((self.claims.expires_at - self.claims.issued_at).total_seconds())


class TokenService(Protocol):
    """Turns claims into an opaque token and back; every failure is Unauthorized."""

    def issue(
        self,
        *,
        subject: str,
        permissions: frozenset[str] = frozenset(),
        session_uid: str | None = None,
        family_id: str | None = None,
        token_type: TokenType = TokenType.ACCESS,
    ) -> IssuedToken:
        """A new signed and encrypted token for the subject (of a login's family, if given)."""
        ...

    def verify(self, token: str, *, token_type: TokenType = TokenType.ACCESS) -> TokenClaims:
        """The claims of a valid, unexpired, unrevoked token of this type, else Unauthorized.

        An authentic token whose id was revoked raises RevokedToken, which carries its claims.
        """
        ...

    def revoke(self, claims: TokenClaims) -> None:
        """Refuse this token from now until it expires."""
        ...


class RevocationList(Protocol):
    """Ids of revoked tokens, each kept until the token would have expired anyway."""

    def add(self, token_id: str, *, until: datetime) -> None:
        """Remember the id as revoked until `until`."""
        ...

    def contains(self, token_id: str) -> bool:
        """Whether the id is revoked."""
        ...

    def claim(self, token_id: str, *, until: datetime) -> bool:
        """Revoke the id unless it already was, as one atomic step; whether this call did it."""
        ...
