"""Argon2PasswordHasher: argon2id hashes, checked and upgraded."""

from __future__ import annotations

import pytest

from adapters.auth.passwords import Argon2PasswordHasher


def cheap(time_cost: int = 1) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(time_cost=time_cost, memory_cost_kib=8, parallelism=1)


def test_a_hash_is_salted_argon2id_and_verifies_only_its_password() -> None:
    hasher = cheap()
    first, second = hasher.hash("correct horse"), hasher.hash("correct horse")
    assert first.startswith("$argon2id$") and first != second
    assert hasher.verify(first, "correct horse")
    assert not hasher.verify(first, "correct horsE")


@pytest.mark.parametrize("stored", ["", "plain-text", "$argon2id$v=19$broken", "$2b$12$bcrypt"])
def test_a_malformed_stored_hash_never_verifies_and_asks_for_a_rehash(stored: str) -> None:
    hasher = cheap()
    assert not hasher.verify(stored, "anything")
    assert hasher.needs_rehash(stored)


def test_changed_costs_flag_old_hashes_for_rehashing() -> None:
    old = cheap(time_cost=1).hash("pw")
    assert not cheap(time_cost=1).needs_rehash(old)
    assert cheap(time_cost=2).needs_rehash(old)
    assert cheap(time_cost=2).verify(old, "pw")
