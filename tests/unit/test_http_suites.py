"""The HTTP suites hide no test: every contract test has a name of its own."""

from __future__ import annotations

from tests.contract.http_names import shared_test_names
from tests.contract.http_once_contract import HttpOnceContract
from tests.contract.http_suite import HttpSuite


def test_no_two_http_contract_tests_share_a_name() -> None:
    assert shared_test_names(HttpSuite, HttpOnceContract) == {}


def test_a_case_run_once_is_not_run_per_backend_too() -> None:
    once = {name for name in dir(HttpOnceContract) if name.startswith("test_")}
    per_backend = {name for name in dir(HttpSuite) if name.startswith("test_")}
    assert once and per_backend
    assert once.isdisjoint(per_backend)


def test_a_test_defined_twice_is_reported_with_both_classes() -> None:
    class First:
        def test_same(self) -> None: ...

    class Second:
        def test_same(self) -> None: ...

    class Both(First, Second): ...

    assert shared_test_names(Both) == {
        "test_same": [
            "test_a_test_defined_twice_is_reported_with_both_classes.<locals>.First",
            "test_a_test_defined_twice_is_reported_with_both_classes.<locals>.Second",
        ]
    }
