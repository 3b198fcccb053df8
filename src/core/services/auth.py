"""Token use cases: the anonymous session-bound token and authenticating a request."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import Forbidden, Unauthorized
from core.ports.clock import IdGenerator
from core.ports.tokens import INVALID_TOKEN, IssuedToken, RevocationList, TokenService, TokenType
from core.principal import Principal
from core.services.logins import family_key


class AuthService:
    """Issues the original's anonymous token and turns a bearer token into a Principal."""

    def __init__(
        self, *, tokens: TokenService, revocations: RevocationList, ids: IdGenerator
    ) -> None:
        self._tokens = tokens
        self._revocations = revocations
        self._ids = ids

    def new_session_uid(self) -> str:
        """A fresh id to bind an anonymous session and its tokens together."""
        return self._ids.new_id()

    def issue_session_token(self, session_uid: str) -> IssuedToken:
        """An access token for an anonymous caller, valid only with the session holding `uid`."""
        return self._tokens.issue(subject=session_uid, session_uid=session_uid)

    def authenticate(
        self,
        token: str | None,
        *,
        session_uid: Callable[[], str | None],
        permission: str | None = None,
    ) -> Principal:
        """The caller behind the token; Unauthorized or Forbidden when it may not proceed.

        `session_uid` is asked only for session-bound tokens, so other requests never load
        their session.
        """
        if not token:
            raise Unauthorized("missing bearer token")
        claims = self._tokens.verify(token, token_type=TokenType.ACCESS)
        if claims.session_uid is not None and claims.session_uid != session_uid():
            raise Unauthorized(INVALID_TOKEN)
        if claims.family_id is not None and self._revocations.contains(
            family_key(claims.family_id)
        ):
            raise Unauthorized(INVALID_TOKEN)  # its login was logged out or its refresh reused
        principal = Principal(subject=claims.subject, permissions=claims.permissions, claims=claims)
        if permission is not None and not principal.may(permission):
            raise Forbidden(f"missing permission {permission!r}")
        return principal
