"""Login, refresh-token rotation and logout."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.entities import User
from core.errors import Conflict, NotFound, RevokedToken, Unauthorized, ValidationError
from core.ports.clock import Clock, IdGenerator
from core.ports.passwords import PasswordHasher
from core.ports.tokens import (
    INVALID_TOKEN,
    MAX_LEEWAY,
    IssuedToken,
    RevocationList,
    TokenClaims,
    TokenService,
    TokenType,
)
from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from core.usernames import prepare_username

BAD_CREDENTIALS = "invalid username or password"


def family_key(family_id: str) -> str:
    """The revocation-list key that refuses every token of one login."""
    return f"family:{family_id}"


@dataclass(frozen=True, slots=True)
class TokenPair:
    """What a login or a refresh hands out."""

    access: IssuedToken
    refresh: IssuedToken


class LoginService:
    """Trades credentials for tokens; each refresh token works once, and reuse ends the login."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenService,
        revocations: RevocationList,
        clock: Clock,
        ids: IdGenerator,
        refresh_ttl: timedelta,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens
        self._revocations = revocations
        self._clock = clock
        self._ids = ids
        self._refresh_ttl = refresh_ttl
        # Verifying against this when the username is unknown makes both failures cost one
        # hash, so response time does not reveal which usernames exist.
        self._dummy_hash = hasher.hash(secrets.token_urlsafe(16))

    def login(self, *, username: str, password: str, session_uid: str | None = None) -> TokenPair:
        """A new token family for valid credentials; Unauthorized otherwise."""
        with self._uow() as uow:
            try:
                user = uow.users.get_by_username(prepare_username(username))
            except (ValidationError, NotFound):
                # A name outside the profile is just another unknown name: same hash, same 401.
                self._hasher.verify(self._dummy_hash, password)
                raise Unauthorized(BAD_CREDENTIALS) from None
            if not self._hasher.verify(user.password_hash, password):
                raise Unauthorized(BAD_CREDENTIALS)
            if self._hasher.needs_rehash(user.password_hash):
                self._rehash(uow, user, password)
        return self._pair(user, family_id=self._ids.new_id(), session_uid=session_uid)

    def refresh(self, refresh_token: str) -> TokenPair:
        """A new pair for a refresh token used for the first time; reuse revokes its family."""
        try:
            claims = self._tokens.verify(refresh_token, token_type=TokenType.REFRESH)
        except RevokedToken as used:
            # Presented again after it was spent: a copy is in someone else's hands.
            self._revoke_family(used.claims)
            raise Unauthorized(INVALID_TOKEN) from None
        if claims.family_id is None or self._revocations.contains(family_key(claims.family_id)):
            raise Unauthorized(INVALID_TOKEN)
        if not self._revocations.claim(claims.token_id, until=claims.expires_at + MAX_LEEWAY):
            self._revoke_family(claims)  # two requests raced with the same token
            raise Unauthorized(INVALID_TOKEN)
        with self._uow(read_only=True) as uow:
            try:
                user = uow.users.get(claims.subject)
            except NotFound:
                raise Unauthorized(INVALID_TOKEN) from None
        return self._pair(user, family_id=claims.family_id, session_uid=claims.session_uid)

    def logout(self, claims: TokenClaims) -> None:
        """Refuse this token from now on, and every other token of its login."""
        self._tokens.revoke(claims)
        if claims.family_id is not None:
            self._revoke_family(claims)

    def _pair(self, user: User, *, family_id: str, session_uid: str | None) -> TokenPair:
        # Permissions are read from the user record at every issue, so a change applies from
        # the next refresh on.
        access, refresh = (
            self._tokens.issue(
                subject=user.id,
                permissions=user.permissions,
                session_uid=session_uid,
                family_id=family_id,
                token_type=token_type,
            )
            for token_type in (TokenType.ACCESS, TokenType.REFRESH)
        )
        return TokenPair(access=access, refresh=refresh)

    def _revoke_family(self, claims: TokenClaims) -> None:
        if claims.family_id is not None:
            until: datetime = self._clock.now() + self._refresh_ttl + MAX_LEEWAY
            self._revocations.add(family_key(claims.family_id), until=until)

    def _rehash(self, uow: UnitOfWork, user: User, password: str) -> None:
        try:
            uow.users.update(replace(user, password_hash=self._hasher.hash(password)))
            uow.commit()
        except Conflict:
            pass  # changed concurrently: the next login rehashes
