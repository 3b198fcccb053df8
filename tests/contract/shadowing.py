"""Contract suites are combined by inheritance, where a test of the same name hides another."""

from __future__ import annotations


def shadowed_tests(cls: type) -> dict[str, list[str]]:
    """Each test name that more than one class of `cls`'s MRO defines, with those classes."""
    owners: dict[str, list[str]] = {}
    for klass in cls.__mro__:
        for name in vars(klass):
            if name.startswith("test_"):
                owners.setdefault(name, []).append(klass.__name__)
    return {name: classes for name, classes in owners.items() if len(classes) > 1}


class RefusesShadowing:
    """A suite whose subclasses fail at import when one of their tests hides another."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        shadowed = shadowed_tests(cls)
        if shadowed:
            raise TypeError(f"{cls.__qualname__} hides contract tests: {shadowed}")
