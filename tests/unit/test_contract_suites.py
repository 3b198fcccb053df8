"""The contract suites combine by inheritance without one test hiding another of its name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import tests.contract
from tests.contract.repository_contract import RepositoryContract
from tests.contract.shadowing import RefusesShadowing, shadowed_tests


def contract_classes() -> list[type]:
    classes: list[type] = []
    for module in pkgutil.iter_modules(tests.contract.__path__):
        loaded = importlib.import_module(f"tests.contract.{module.name}")
        classes += [
            cls
            for _, cls in inspect.getmembers(loaded, inspect.isclass)
            if cls.__module__ == loaded.__name__
        ]
    return classes


def test_no_contract_suite_hides_a_test_behind_another_of_the_same_name() -> None:
    classes = contract_classes()
    assert RepositoryContract in classes
    assert {cls.__name__: shadowed_tests(cls) for cls in classes if shadowed_tests(cls)} == {}


def test_a_suite_that_would_hide_a_test_fails_as_it_is_defined() -> None:
    class First:
        def test_a_rule(self) -> None: ...

    class Second:
        def test_a_rule(self) -> None: ...

    assert shadowed_tests(type("Both", (First, Second), {})) == {"test_a_rule": ["First", "Second"]}
    with pytest.raises(TypeError, match="test_a_rule"):
        type("Combined", (RefusesShadowing, First, Second), {})
