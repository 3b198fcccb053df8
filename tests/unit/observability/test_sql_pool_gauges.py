"""The SQL pool's gauges: what the pool lends out, read by the sampler."""

from __future__ import annotations

import gc
import os
from contextlib import ExitStack

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import QueuePool

from adapters.metrics.instruments import ServiceMetrics
from adapters.metrics.sql_pool import PoolSampler
from tests.unit.observability.samples import sample


def gauges(metrics: ServiceMetrics) -> tuple[float, float]:
    return (
        sample(metrics, "hexapi_sql_pool_checked_out_connections"),
        sample(metrics, "hexapi_sql_pool_overflow_connections"),
    )


def pooled() -> Engine:
    return create_engine("sqlite://", poolclass=QueuePool, pool_size=1, max_overflow=2)


def test_each_sample_gives_the_connections_lent_out_and_those_beyond_the_pool_size() -> None:
    metrics = ServiceMetrics(CollectorRegistry(), version="test")
    engine = pooled()
    sampler = PoolSampler(engine, metrics)
    seen = []
    with ExitStack() as connections:
        for _ in range(3):
            connections.enter_context(engine.connect())
            sampler.sample()
            seen.append(gauges(metrics))
    sampler.sample()
    seen.append(gauges(metrics))
    engine.dispose()
    assert seen == [(1, 0), (2, 1), (3, 2), (0, 0)]


def test_a_disposed_engine_is_sampled_on_the_pool_put_in_its_place() -> None:
    metrics = ServiceMetrics(CollectorRegistry(), version="test")
    engine = pooled()
    sampler = PoolSampler(engine, metrics)
    engine.dispose()
    with engine.connect():
        assert sampler.sample() is True
        assert gauges(metrics) == (1, 0)


def test_the_loop_ends_once_its_engine_is_gone() -> None:
    metrics = ServiceMetrics(CollectorRegistry(), version="test")
    engine = pooled()
    sampler = PoolSampler(engine, metrics, every=0)
    sampler._owner = os.getpid()
    del engine
    gc.collect()  # an engine's pool and events hold it in cycles
    assert sampler.sample() is False
    sampler._run()  # returns at its first wake: nothing left to read


def test_a_forked_copy_of_the_loop_writes_nothing() -> None:
    metrics = ServiceMetrics(CollectorRegistry(), version="test")
    engine = pooled()
    sampler = PoolSampler(engine, metrics, every=0)
    sampler._owner = os.getpid() + 1  # started in another process
    with engine.connect():
        sampler._run()
        assert gauges(metrics) == (0, 0)
    engine.dispose()


def test_a_stopped_loop_ends_at_its_next_wake() -> None:
    metrics = ServiceMetrics(CollectorRegistry(), version="test")
    engine = pooled()
    sampler = PoolSampler(engine, metrics, every=0)
    sampler._owner = os.getpid()
    sampler.stop()
    with engine.connect():
        sampler._run()
        assert gauges(metrics) == (0, 0)
    engine.dispose()
