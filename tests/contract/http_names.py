"""Test names a suite's classes define more than once: a later class would hide the earlier test."""

from __future__ import annotations

from collections import defaultdict


def shared_test_names(*suites: type) -> dict[str, list[str]]:
    """Each test name defined by two classes of the suites' MROs, with the classes defining it."""
    owners: dict[str, set[type]] = defaultdict(set)
    for suite in suites:
        for klass in suite.__mro__:
            for name in vars(klass):
                if name.startswith("test_"):
                    owners[name].add(klass)
    return {
        name: sorted(klass.__qualname__ for klass in classes)
        for name, classes in owners.items()
        if len(classes) > 1
    }
