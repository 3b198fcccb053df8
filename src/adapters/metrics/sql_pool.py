"""The SQL pool's lent-out and overflow connections, read from the pool once a second."""

from __future__ import annotations

import os
import threading
import weakref

from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

from adapters.metrics.direct import setter
from adapters.metrics.instruments import ServiceMetrics

# How often each process writes what its pool holds. A gauge is a reading at scrape time
# (every 15 s or more): a reading up to a second old tells the same. Listening to the pool's
# checkout and checkin instead was exact to the moment and cost every request two SQLAlchemy
# events, their listeners and two value writes (docs/observability.md).
EVERY_SECONDS = 1.0


class PoolSampler:
    """Writes an engine's pool gauges now (`sample`) and, once started, every `every` seconds.

    The loop holds the engine only weakly and ends when the engine is gone, when `stop` is
    called, or in any process but the one that started it (a fork's copy writes nothing). The
    engine's pool is read at each sample: `Engine.dispose()` puts a new one in its place.
    """

    def __init__(
        self, engine: Engine, metrics: ServiceMetrics, *, every: float = EVERY_SECONDS
    ) -> None:
        self._engine = weakref.ref(engine)
        self._checked_out = setter(metrics.sql_pool_checked_out)
        self._overflow = setter(metrics.sql_pool_overflow)
        self._every = every
        self._stopped = threading.Event()
        self._owner = 0

    def sample(self) -> bool:
        """Write what the engine's pool lends out now; False once the engine is gone."""
        engine = self._engine()
        if engine is None:
            return False
        # Pools other than a QueuePool (in-memory SQLite) have no size and never overflow.
        pool = engine.pool
        lent = beyond = 0
        if isinstance(pool, QueuePool):
            lent = pool.checkedout()
            beyond = max(0, lent - pool.size())
        self._checked_out(lent)
        self._overflow(beyond)
        return True

    def start(self) -> None:
        """Sample now and then every interval, on a daemon thread (a greenlet under gevent)."""
        self._owner = os.getpid()
        self.sample()
        threading.Thread(target=self._run, name="hexapi-sql-pool-gauges", daemon=True).start()

    def stop(self) -> None:
        """End the loop at its next wake."""
        self._stopped.set()

    def _run(self) -> None:
        while not self._stopped.wait(self._every):
            if os.getpid() != self._owner or not self.sample():
                return


def watch_pool(engine: Engine, metrics: ServiceMetrics) -> PoolSampler:
    """Keep the pool's gauges current in this process: lent out, and beyond SQL_POOL_SIZE."""
    sampler = PoolSampler(engine, metrics)
    sampler.start()
    return sampler
