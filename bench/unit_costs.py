"""Where the unit suite's CPU goes: apps built, settings loaded, test-client requests, by file.

A pytest plugin; it times (CPU, `process_time`) every `create_app`, `build_container`,
`load_settings` and test-client request and prints the totals and the costliest files:

    .venv/bin/python -m pytest tests/unit -q -p no:schemathesis -p bench.unit_costs

Nested calls count in each (an app's build includes its settings), so the rows overlap.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

_costs: defaultdict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
_file = ["(collection)"]


def _timed(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            cost = _costs[(name, _file[0])]
            cost[0] += 1
            cost[1] += time.process_time() - started

    return timed


def pytest_configure() -> None:
    # Before collection, so `from api import create_app` in a test module gets the timed one.
    import flask.testing

    import api
    import api.app
    import api.settings

    api.create_app = api.app.create_app = _timed("create_app", api.app.create_app)
    api.app.build_container = _timed("build_container", api.app.build_container)
    api.settings.load_settings = api.app.load_settings = _timed(
        "load_settings", api.settings.load_settings
    )
    client = flask.testing.FlaskClient
    client.open = _timed("request", client.open)  # type: ignore[method-assign]


def pytest_runtest_protocol(item: pytest.Item) -> None:
    _file[0] = item.nodeid.split("::")[0]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    totals: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for (name, _), (count, seconds) in _costs.items():
        totals[name][0] += count
        totals[name][1] += seconds
    terminalreporter.section("unit suite costs (CPU seconds)")
    for name, (count, seconds) in sorted(totals.items(), key=lambda row: -row[1][1]):
        terminalreporter.write_line(f"{name:16} {int(count):6} calls {seconds:7.2f} s")
    costliest = sorted(_costs.items(), key=lambda row: -row[1][1])[:15]
    for (name, path), (count, seconds) in costliest:
        terminalreporter.write_line(f"{seconds:7.2f} s {int(count):5} {name:16} {path}")
