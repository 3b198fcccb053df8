"""A storage-independent HTTP case runs once, never per backend as well."""

from __future__ import annotations

from tests.contract.http_once_contract import HttpOnceContract
from tests.contract.http_suite import HttpSuite
from tests.contract.shadowing import shadowed_tests


def test_a_case_run_once_is_not_run_per_backend_too() -> None:
    once = {name for name in dir(HttpOnceContract) if name.startswith("test_")}
    per_backend = {name for name in dir(HttpSuite) if name.startswith("test_")}
    assert once and per_backend
    assert once.isdisjoint(per_backend)


def test_neither_http_suite_hides_a_test_behind_another_of_its_name() -> None:
    assert shadowed_tests(HttpSuite) == {}
    assert shadowed_tests(HttpOnceContract) == {}
