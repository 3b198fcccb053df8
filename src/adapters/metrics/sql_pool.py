"""The SQL pool's lent-out and overflow connections, kept current by the pool's own events."""

from __future__ import annotations

from sqlalchemy import Engine, event
from sqlalchemy.pool import QueuePool

from adapters.metrics.direct import setter
from adapters.metrics.instruments import ServiceMetrics


def watch_pool(engine: Engine, metrics: ServiceMetrics) -> None:
    """Count connections lent out, and those of them beyond SQL_POOL_SIZE (the overflow).

    Counted here from checkout and checkin rather than read from the pool: the pool's own
    count still includes a connection while its checkin event runs. Pools other than a
    QueuePool (in-memory SQLite) have no size and never overflow.
    """
    size = engine.pool.size() if isinstance(engine.pool, QueuePool) else None
    checked_out, overflow = setter(metrics.sql_pool_checked_out), setter(metrics.sql_pool_overflow)
    # Under gunicorn each write is a write to a shared file: the overflow is written only when
    # it moves (beyond the pool's size), which checkouts coming and going on every request
    # within it never make it do. One listener call per event, not a lambda and a helper.
    lent = [0]

    def lent_out(*_args: object) -> None:
        lent[0] += 1
        checked_out(lent[0])
        if size is not None and lent[0] > size:
            overflow(lent[0] - size)

    def returned(*_args: object) -> None:
        lent[0] -= 1
        checked_out(lent[0])
        if size is not None and lent[0] >= size:
            overflow(lent[0] - size)

    checked_out(0)
    overflow(0)
    event.listen(engine, "checkout", lent_out)
    event.listen(engine, "checkin", returned)
