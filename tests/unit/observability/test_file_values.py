"""The direct writers and the multiprocess value class against prometheus-client's own.

Both reach into the library (its metric classes' value attributes, its MmapedDict's map and
positions): each test here makes the same writes through the library's own path and through
ours and compares what its collector reads, so a release that changes them fails here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, values
from prometheus_client.multiprocess import MultiProcessCollector

from adapters.metrics.direct import adder, observer, setter
from adapters.metrics.file_values import FileValues, LockedFileValue

BOUNDS = (0.001, 0.01, 0.1, 1.0)
# On a bound, between bounds, below the first, above the last.
AMOUNTS = (0.01, 0.005, 0.0001, 3.0, 1.0, 0.2)


def scrape_folder(folder: Path) -> str:
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))  # type: ignore[no-untyped-call]
    return generate_latest(registry).decode()


def without_creation_times(registry: CollectorRegistry) -> list[str]:
    """The exposition's lines, less the `_created` samples (the time each metric was made)."""
    lines = generate_latest(registry).decode().splitlines()
    return [line for line in lines if "_created" not in line]


def write_all(registry: CollectorRegistry, *, direct: bool) -> None:
    """The same writes, through the metrics' own methods or through the direct writers."""
    counter = Counter("c", "a counter", ("route",), registry=registry).labels(route="/a")
    live = Gauge("g", "a gauge", registry=registry, multiprocess_mode="livesum")
    hist = Histogram("h", "a histogram", ("m",), buckets=BOUNDS, registry=registry).labels(m="x")
    recent = Gauge("r", "latest", registry=registry, multiprocess_mode="mostrecent")
    recent.set(7)
    add: Callable[[float], None] = adder(counter) if direct else counter.inc
    move: Callable[[float], None] = adder(live) if direct else live.inc
    put: Callable[[float], None] = setter(live) if direct else live.set
    observe: Callable[[float], None] = observer(hist) if direct else hist.observe
    for amount in AMOUNTS:
        add(1.0)
        move(2.0)
        move(-1.0)
        observe(amount)
    add(2.5)
    put(4)


@pytest.fixture
def value_class() -> Iterator[None]:
    before = values.ValueClass
    yield
    values.ValueClass = before


@pytest.mark.usefixtures("value_class")
@pytest.mark.parametrize("threads", [False, True])
def test_direct_writes_to_file_values_scrape_as_the_librarys_own_writes(
    tmp_path: Path, threads: bool
) -> None:
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    theirs.mkdir()
    ours.mkdir()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(theirs)
    try:
        values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
        write_all(CollectorRegistry(), direct=False)
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
    values.ValueClass = FileValues(ours, threads=threads)
    write_all(CollectorRegistry(), direct=True)

    expected = scrape_folder(theirs)
    assert 'h_bucket{le="0.01",m="x"} 3.0' in expected
    assert "c_total" in expected
    assert scrape_folder(ours) == expected
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in theirs.iterdir())


def test_direct_writers_match_the_metrics_methods_in_a_single_process() -> None:
    theirs, ours = CollectorRegistry(), CollectorRegistry()
    write_all(theirs, direct=False)
    write_all(ours, direct=True)
    assert without_creation_times(ours) == without_creation_times(theirs)
    assert ours.get_sample_value("h_bucket", {"m": "x", "le": "0.01"}) == 3.0


@pytest.mark.usefixtures("value_class")
def test_a_value_made_early_still_writes_after_its_file_grows(tmp_path: Path) -> None:
    values.ValueClass = FileValues(tmp_path, threads=False)
    registry = CollectorRegistry()
    counter = Counter("early", "made first", ("n",), registry=registry)
    add = adder(counter.labels(n="first"))
    # Enough label sets to outgrow the file's first 64 KiB map, which is then made anew.
    for number in range(2000):
        counter.labels(n=str(number)).inc()
    add(5.0)
    assert 'early_total{n="first"} 5.0' in scrape_folder(tmp_path)
    assert 'early_total{n="1999"} 1.0' in scrape_folder(tmp_path)


@pytest.mark.usefixtures("value_class")
def test_a_forked_child_writes_files_of_its_own_pid(tmp_path: Path) -> None:
    values.ValueClass = FileValues(tmp_path, threads=False)
    counter = Counter("forked", "counted on both sides", registry=CollectorRegistry())
    add = adder(counter)
    add(1.0)
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        add(10.0)
        os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    add(1.0)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"counter_{os.getpid()}.db", f"counter_{child}.db"]
    )
    # The child starts from its own file (zero), not from the parent's count.
    assert "forked_total 12.0" in scrape_folder(tmp_path)


@pytest.mark.usefixtures("value_class")
def test_writes_from_many_threads_are_all_counted_when_asked_for(tmp_path: Path) -> None:
    values.ValueClass = FileValues(tmp_path, threads=True)
    counter = Counter("threaded", "counted from threads", registry=CollectorRegistry())
    assert isinstance(counter._value, LockedFileValue)
    add = adder(counter)

    def count() -> None:
        for _ in range(5000):
            add(1.0)

    workers = [threading.Thread(target=count) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert "threaded_total 20000.0" in scrape_folder(tmp_path)
