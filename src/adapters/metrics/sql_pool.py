"""The SQL pool's lent-out and overflow connections, kept current by the pool's own events."""

from __future__ import annotations

from sqlalchemy import Engine, event
from sqlalchemy.pool import QueuePool

from adapters.metrics.instruments import ServiceMetrics


def watch_pool(engine: Engine, metrics: ServiceMetrics) -> None:
    """Count connections lent out, and those of them beyond SQL_POOL_SIZE (the overflow).

    Counted here from checkout and checkin rather than read from the pool: the pool's own
    count still includes a connection while its checkin event runs. Pools other than a
    QueuePool (in-memory SQLite) have no size and never overflow.
    """
    size = engine.pool.size() if isinstance(engine.pool, QueuePool) else None
    checked_out, overflow = metrics.sql_pool_checked_out, metrics.sql_pool_overflow
    # Lent out, and the overflow last written: under gunicorn each write is a write to a
    # shared file, and the overflow rarely moves while checkouts come and go on every request.
    lent, beyond = [0], [0]

    def changed(by: int) -> None:
        lent[0] += by
        checked_out.set(lent[0])
        if size is not None and max(0, lent[0] - size) != beyond[0]:
            beyond[0] = max(0, lent[0] - size)
            overflow.set(beyond[0])

    checked_out.set(0)
    overflow.set(0)
    event.listen(engine, "checkout", lambda *_args: changed(1))
    event.listen(engine, "checkin", lambda *_args: changed(-1))
