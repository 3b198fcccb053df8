"""AuthService: session-bound anonymous tokens and permission checks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import load_token_keys
from adapters.auth.revocations import InMemoryRevocationList
from core.errors import Forbidden, Unauthorized
from core.ports.tokens import TokenType
from core.services.auth import AuthService
from core.services.logins import family_key
from tests.fakes import FakeClock, SequentialIds
from tests.helpers import EPOCH, token_keys_json


@pytest.fixture
def revocations(clock: FakeClock) -> InMemoryRevocationList:
    return InMemoryRevocationList(clock)


@pytest.fixture
def tokens(clock: FakeClock, revocations: InMemoryRevocationList) -> JweTokenService:
    return JweTokenService(
        keys=load_token_keys(token_keys_json()),
        clock=clock,
        revocations=revocations,
        issuer="test",
        audience="api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=14),
    )


@pytest.fixture
def auth(tokens: JweTokenService, revocations: InMemoryRevocationList) -> AuthService:
    return AuthService(tokens=tokens, revocations=revocations, ids=SequentialIds())


def test_a_session_token_authenticates_with_its_own_session(auth: AuthService) -> None:
    uid = auth.new_session_uid()
    token = auth.issue_session_token(uid).token
    assert auth.authenticate(token, session_uid=lambda: uid).subject == uid


def test_a_session_token_is_refused_from_another_session(auth: AuthService) -> None:
    token = auth.issue_session_token(auth.new_session_uid()).token
    with pytest.raises(Unauthorized):
        auth.authenticate(token, session_uid=lambda: "someone-else")
    with pytest.raises(Unauthorized):
        auth.authenticate(token, session_uid=lambda: None)


def test_a_missing_token_is_unauthorized(auth: AuthService) -> None:
    with pytest.raises(Unauthorized):
        auth.authenticate(None, session_uid=lambda: None)


def test_an_unbound_token_never_loads_the_session(
    auth: AuthService, tokens: JweTokenService
) -> None:
    token = tokens.issue(subject="ann").token

    def session_uid() -> str:
        raise AssertionError("the session was loaded for a token bound to none")

    assert auth.authenticate(token, session_uid=session_uid).subject == "ann"


def test_a_missing_permission_is_forbidden(auth: AuthService, tokens: JweTokenService) -> None:
    token = tokens.issue(subject="ann", permissions=frozenset({"items:read"})).token
    with pytest.raises(Forbidden):
        auth.authenticate(token, session_uid=lambda: None, permission="items:admin")
    principal = auth.authenticate(token, session_uid=lambda: None, permission="items:read")
    assert principal.may("items:read")


def test_a_refresh_token_is_not_an_access_token(auth: AuthService, tokens: JweTokenService) -> None:
    token = tokens.issue(subject="ann", token_type=TokenType.REFRESH).token
    with pytest.raises(Unauthorized):
        auth.authenticate(token, session_uid=lambda: None)


def test_an_expired_session_token_is_refused(auth: AuthService, clock: FakeClock) -> None:
    uid = auth.new_session_uid()
    token = auth.issue_session_token(uid).token
    clock.advance(minutes=16)
    with pytest.raises(Unauthorized, match="expired"):
        auth.authenticate(token, session_uid=lambda: uid)


def test_a_token_of_a_revoked_family_is_refused(
    auth: AuthService, tokens: JweTokenService, revocations: InMemoryRevocationList
) -> None:
    token = tokens.issue(subject="ann", family_id="login-1").token
    assert auth.authenticate(token, session_uid=lambda: None).subject == "ann"
    revocations.add(family_key("login-1"), until=EPOCH + timedelta(days=30))
    with pytest.raises(Unauthorized):
        auth.authenticate(token, session_uid=lambda: None)


def test_the_principal_carries_the_claims_for_logout(
    auth: AuthService, tokens: JweTokenService
) -> None:
    issued = tokens.issue(subject="ann", family_id="login-2")
    principal = auth.authenticate(issued.token, session_uid=lambda: None)
    assert principal.claims == issued.claims
