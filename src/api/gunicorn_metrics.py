"""gunicorn hooks for metrics: one scrape of every worker, served by the master on METRICS_BIND.

prometheus-client's multiprocess mode: each worker writes its values to files in
PROMETHEUS_MULTIPROC_DIR, the master's scrape endpoint adds them up. The variable is set here,
in the master, before any worker exists.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.metrics.file_values import FileValues
from api.settings import Settings

if TYPE_CHECKING:
    from api.scrape_server import ScrapeServer

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
SHARED_MEMORY = Path("/dev/shm")


def metrics_hooks(settings: Settings) -> dict[str, Any]:
    """The gunicorn settings (hooks) serving the workers' metrics, or none without METRICS_BIND."""
    if not settings.METRICS_ENABLED or not settings.METRICS_BIND:
        if "METRICS_ENABLED" not in settings.model_fields_set:
            # Nobody could scrape them: the workers would count for nothing.
            os.environ["METRICS_ENABLED"] = "false"
        return {}
    bind = settings.METRICS_BIND
    given = os.environ.get(MULTIPROC_ENV)
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="hexapi-metrics-", dir=_tmp()))
    use_multiprocess_values(folder, threads=settings.GUNICORN_WORKER == "gthread")
    served: list[ScrapeServer] = []

    def on_starting(_server: Any) -> None:
        # A new start counts from zero: files of a previous run's workers would be added in.
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        # Bound before gunicorn binds its own port: a busy METRICS_BIND stops the start here,
        # with the setting named, before anything listens.
        served.append(scrape_server(bind, folder, keep=bool(given)))

    def when_ready(_server: Any) -> None:
        for httpd in served:
            httpd.start()

    def post_fork(_server: Any, _worker: Any) -> None:
        # The worker inherited the master's scrape socket; only the master answers on it
        # (the copy of its loop ends by itself in the worker: api/scrape_server.py).
        for httpd in served:
            httpd.server_close()

    def child_exit(_server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid, path=str(folder))  # type: ignore[no-untyped-call]

    def on_exit(_server: Any) -> None:
        for httpd in served:
            httpd.stop()
        if not given:
            shutil.rmtree(folder, ignore_errors=True)

    return {
        "on_starting": on_starting,
        "when_ready": when_ready,
        "post_fork": post_fork,
        "child_exit": child_exit,
        "on_exit": on_exit,
    }


def scrape_server(bind: str, folder: Path, *, keep: bool) -> ScrapeServer:
    """The master's scrape endpoint on `bind`, adding up the workers' files in `folder`.

    A bind that fails (the port taken, an address this host does not have) ends the start with
    the setting named; `folder` is removed then unless it was given (`keep`).
    """
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    from api.scrape_server import ScrapeServer

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))  # type: ignore[no-untyped-call]
    host, _, port = bind.rpartition(":")
    try:
        return ScrapeServer(host or "0.0.0.0", int(port), registry)
    except OSError as error:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
        sys.exit(f"hexapi refuses to start: METRICS_BIND={bind} cannot be served: {error.strerror}")


def use_multiprocess_values(folder: Path, *, threads: bool) -> None:
    """Make metrics created from now on in this process (and its forks) write to `folder`.

    prometheus-client picks its value class from the environment when first imported, and the
    master has imported it already (through `api`), before any metric exists: the class is
    set again, to one writing the library's files more cheaply (adapters/metrics/file_values.py).
    `values.ValueClass` is not public API: the version range is pinned, and
    tests/integration/test_metrics_gunicorn.py fails if this stops working. `threads`: the
    workers answer requests on threads (gthread), and each write takes a lock.
    """
    from prometheus_client import values

    os.environ[MULTIPROC_ENV] = str(folder)
    values.ValueClass = FileValues(folder, threads=threads)


def _tmp() -> str | None:
    """Shared memory when the host has it: workers write on every request."""
    return str(SHARED_MEMORY) if SHARED_MEMORY.is_dir() else None
