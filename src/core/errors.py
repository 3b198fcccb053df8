"""Domain errors: adapters translate their own failures into these, the HTTP layer maps them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.ports.tokens import TokenClaims


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The entity does not exist (or the caller may not know that it does)."""


class Conflict(DomainError):
    """A uniqueness rule or an expected version was violated."""


class ConcurrentChange(Conflict):
    """The stored version moved between reading an entity and writing it back."""


class ValidationError(DomainError):
    """Input breaks a domain rule; `details` maps each field to what is wrong with it."""

    def __init__(self, message: str, details: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.details: dict[str, str] = dict(details or {})


class Unauthorized(DomainError):
    """No valid credentials were presented."""


class RevokedToken(Unauthorized):
    """An authentic token that was revoked (or, for a refresh token, already used)."""

    def __init__(self, message: str, claims: TokenClaims) -> None:
        super().__init__(message)
        self.claims = claims


class Forbidden(DomainError):
    """Valid credentials that do not grant the action."""


class Unavailable(DomainError):
    """A storage or session dependency does not answer; the caller may retry later."""


class StaleVersion(Conflict):
    """The caller's expected version is not the stored one (a precondition that failed)."""
