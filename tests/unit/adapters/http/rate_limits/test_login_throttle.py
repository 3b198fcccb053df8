"""Failed logins: a limit per account and address, and a ceiling per account that spares known
addresses, so guessing from many addresses is refused without locking the real user out."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from api import create_app
from tests.contract.http_contract import assert_envelope
from tests.helpers import app_settings

PASSWORD = "correct horse battery"
WRONG = "wrong password!!"


def service(**settings: Any) -> FlaskClient:
    """A client of an app with a generous per-address limit, so only failures decide."""
    client = create_app(app_settings(RATELIMIT_CREDENTIALS="1000 per minute", **settings))
    test_client = client.test_client()
    created = test_client.post("/api/users", json={"username": "kevin", "password": PASSWORD})
    assert created.status_code == 201
    return test_client


def log_in(client: FlaskClient, address: str, password: str, name: str = "kevin") -> int:
    answer = client.post(
        "/api/auth/token",
        json={"username": name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return int(answer.status_code)


def test_wrong_passwords_from_many_addresses_meet_the_account_ceiling() -> None:
    client = service()  # the defaults: 10 failures per hour per account
    statuses = [log_in(client, f"198.51.100.{n}", WRONG) for n in range(12)]
    assert statuses == [401] * 10 + [429] * 2
    assert log_in(client, "198.51.100.99", PASSWORD) == 429  # a new address waits too
    refused = client.post(
        "/api/auth/token",
        json={"username": "KEVIN", "password": WRONG},
        environ_base={"REMOTE_ADDR": "198.51.100.98"},
    )
    body = assert_envelope(refused, 429)
    assert "failed logins" in body["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 3600


def test_an_address_the_user_logged_in_from_is_not_locked_out_by_the_flood() -> None:
    client = service(RATELIMIT_LOGIN_FAILURES_ACCOUNT="3 per hour")
    assert log_in(client, "192.0.2.1", PASSWORD) == 200  # the real user, earlier
    assert [log_in(client, f"198.51.100.{n}", WRONG) for n in range(5)] == [401] * 3 + [429] * 2
    assert log_in(client, "192.0.2.1", PASSWORD) == 200
    assert log_in(client, "192.0.2.1", WRONG) == 401  # a typo there is still just a 401


def test_one_address_guessing_one_account_is_stopped_without_stopping_others() -> None:
    client = service(RATELIMIT_LOGIN_FAILURES="3 per 15 minutes")
    assert [log_in(client, "203.0.113.5", WRONG) for _ in range(4)] == [401] * 3 + [429]
    assert log_in(client, "203.0.113.5", PASSWORD) == 429  # the right password no longer helps
    assert log_in(client, "192.0.2.1", PASSWORD) == 200  # the user, from anywhere else


def test_a_successful_login_forgives_the_typos_before_it() -> None:
    client = service(RATELIMIT_LOGIN_FAILURES="3 per 15 minutes")
    assert [log_in(client, "192.0.2.1", WRONG) for _ in range(2)] == [401] * 2
    assert log_in(client, "192.0.2.1", PASSWORD) == 200
    assert [log_in(client, "192.0.2.1", WRONG) for _ in range(3)] == [401] * 3


def test_unknown_accounts_are_throttled_alike_so_429_tells_no_one_which_exist() -> None:
    client = service(RATELIMIT_LOGIN_FAILURES_ACCOUNT="3 per hour")
    for name in ("kevin", "nobody"):
        statuses = [log_in(client, f"198.51.100.{n}", WRONG, name) for n in range(4)]
        assert statuses == [401] * 3 + [429], name


@pytest.mark.parametrize("variant", ["KEVIN", "\uff4bevin"])
def test_spellings_of_one_name_share_its_count(variant: str) -> None:
    client = service(RATELIMIT_LOGIN_FAILURES_ACCOUNT="2 per hour")
    assert log_in(client, "198.51.100.1", WRONG, "kevin") == 401
    assert log_in(client, "198.51.100.2", WRONG, variant) == 401
    assert log_in(client, "198.51.100.3", PASSWORD, variant) == 429


def test_with_limits_switched_off_failures_are_not_counted() -> None:
    client = service(RATELIMIT_ENABLED=False, RATELIMIT_LOGIN_FAILURES_ACCOUNT="1 per hour")
    assert [log_in(client, f"198.51.100.{n}", WRONG) for n in range(3)] == [401] * 3
    assert log_in(client, "198.51.100.9", PASSWORD) == 200
