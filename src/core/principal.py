"""Who is acting in a use case, as proven by a verified token."""

from __future__ import annotations

from dataclasses import dataclass

from core.ports.tokens import TokenClaims

ITEMS_ADMIN = "items:admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: its subject id and the permissions its token carries."""

    subject: str
    permissions: frozenset[str] = frozenset()
    claims: TokenClaims | None = None

    def may(self, permission: str) -> bool:
        """Whether the caller holds the permission."""
        return permission in self.permissions
