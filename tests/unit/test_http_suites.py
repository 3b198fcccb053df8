"""A storage-independent HTTP case runs once, never per backend as well."""

from __future__ import annotations

from tests.contract.http_once_contract import HttpOnceContract
from tests.contract.http_refusals_contract import HttpResourceRefusalsContract
from tests.contract.http_resource_contract import HttpResourceContract
from tests.contract.http_suite import HttpSuite
from tests.contract.shadowing import shadowed_tests


def names_of_tests(cls: type) -> set[str]:
    return {name for name in dir(cls) if name.startswith("test_")}


def test_a_case_run_once_is_not_run_per_backend_too() -> None:
    once = names_of_tests(HttpOnceContract) | names_of_tests(HttpResourceRefusalsContract)
    per_backend = names_of_tests(HttpSuite) | names_of_tests(HttpResourceContract)
    assert names_of_tests(HttpResourceRefusalsContract) and per_backend
    assert once.isdisjoint(per_backend)


def test_neither_http_suite_hides_a_test_behind_another_of_its_name() -> None:
    assert shadowed_tests(HttpSuite) == {}
    assert shadowed_tests(HttpOnceContract) == {}
    assert shadowed_tests(HttpResourceRefusalsContract) == {}
