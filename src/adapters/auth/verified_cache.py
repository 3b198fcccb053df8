"""A bounded memory of tokens already verified, so a repeated token skips the cryptography."""

from __future__ import annotations

import threading

from core.ports.tokens import TokenClaims


class VerifiedTokenCache:
    """Claims by exact token string; the oldest entry goes first when full.

    Only the decryption and signature check are skipped: the service still checks expiry and
    revocation on every use. Keyed by the whole token, so a changed byte is a miss.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[str, TokenClaims] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> TokenClaims | None:
        """The claims this exact token had when it was verified, if remembered."""
        return self._entries.get(token)

    def put(self, token: str, claims: TokenClaims) -> None:
        """Remember a verified token, forgetting the oldest one when full."""
        if self._size <= 0:
            return
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[token] = claims
