"""Failed logins limited per account: per account and address, and a slower ceiling per account.

The pair limit stops one address guessing one account's password. The account ceiling stops
many addresses sharing the guessing; an address that has logged into the account lately is
held to its pair limit only, so a flood of wrong passwords from elsewhere cannot lock the
real user out of the places they use. Counts live in the rate-limit store (Redis for several
instances) and are only read before the password is checked, so concurrent guesses may pass
a limit by as many requests as run at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

from adapters.http.rate_limits.counters import Counters
from core.errors import Unauthorized, ValidationError
from core.usernames import prepare_username, username_key

# How long an address counts as the account's own after a login from it succeeds.
KNOWN_FOR = parse("1 per 30 days")
PAIR, ACCOUNT, KNOWN = "login-failures", "login-failures-account", "login-known"


class LoginThrottle:
    """Refuses logins whose account has failed too often, and counts the failures."""

    def __init__(
        self,
        counters: Counters | None,
        *,
        per_client: tuple[RateLimitItem, ...],
        per_account: tuple[RateLimitItem, ...],
    ) -> None:
        self._counters = counters
        self._per_client = per_client
        self._per_account = per_account

    @contextmanager
    def attempt(self, name: str, *, client: str) -> Iterator[None]:
        """Around one login: 429 while the account is throttled, a failure counted on 401."""
        account = _account(name)
        if self._counters is None or account is None:
            yield  # a name outside the profile matches no account: nothing to protect
            return
        counters = self._counters
        known = not counters.peek(KNOWN_FOR, KNOWN, account, client).allowed  # marked once
        limits: list[tuple[RateLimitItem, tuple[str, ...]]] = [
            (limit, (PAIR, account, client)) for limit in self._per_client
        ]
        if not known:
            limits += [(limit, (ACCOUNT, account)) for limit in self._per_account]
        for limit, identifiers in limits:
            hit = counters.peek(limit, *identifiers)
            if not hit.allowed:
                raise TooManyRequests(
                    description="too many failed logins for this account; try again later",
                    retry_after=hit.seconds_to_reset(),
                )
        try:
            yield
        except Unauthorized:
            for limit, identifiers in limits:
                counters.hit(limit, *identifiers)
            raise
        # Typing mistakes of the real user are forgiven once they get in.
        for limit in self._per_client:
            counters.forget(limit, PAIR, account, client)
        counters.forget(KNOWN_FOR, KNOWN, account, client)
        counters.hit(KNOWN_FOR, KNOWN, account, client)


def _account(name: str) -> str | None:
    """The key failures of this login name are counted under; None outside the profile."""
    try:
        return username_key(prepare_username(name))
    except ValidationError:
        return None
