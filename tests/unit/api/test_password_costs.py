"""Only tests hash passwords cheaply: settings without ARGON2_* keep argon2id's strong costs."""

from __future__ import annotations

from argon2 import extract_parameters

from api.app import build_container
from api.settings import load_settings
from tests.helpers import app_settings

CHEAP = ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")


def test_production_settings_hash_with_the_strong_argon2_costs() -> None:
    production = {
        name: value
        for name, value in app_settings(APP_ENV="production").items()
        if name not in CHEAP
    }
    hasher = build_container(load_settings(production)).password_hasher()
    parameters = extract_parameters(hasher.hash("a long enough password"))
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 65536, 4)


def test_the_unit_tests_cheap_costs_come_from_their_own_settings_only() -> None:
    hasher = build_container(load_settings(app_settings())).password_hasher()
    parameters = extract_parameters(hasher.hash("a long enough password"))
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (1, 8, 1)
