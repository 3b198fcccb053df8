"""Names a suite's classes define more than once: the first in the MRO silently hides the others.

A test, a fixture or a helper of the same name in two contract classes is a test that never runs
or a fixture that is not the one its tests were written for.
"""

from __future__ import annotations

from collections import defaultdict


def shared_test_names(*suites: type) -> dict[str, list[str]]:
    """Each test, fixture or helper defined by two classes of the suites' MROs, with the classes."""
    owners: dict[str, set[type]] = defaultdict(set)
    for suite in suites:
        for klass in suite.__mro__:
            if klass is object:
                continue
            for name in vars(klass):
                if not name.startswith("__"):
                    owners[name].add(klass)
    return {
        name: sorted(klass.__qualname__ for klass in classes)
        for name, classes in owners.items()
        if len(classes) > 1
    }
