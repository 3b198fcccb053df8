"""A labelled child's value written without the metric's own method in the way.

`Counter.inc`, `Gauge.set` and `Histogram.observe` check on every call that the metric is a
child (each handle here is made from one, once) and the histogram walks its bounds in Python;
a request makes about ten such writes. These reach the child's values (`_value`; `_sum`,
`_buckets` and `_upper_bounds` of a histogram), attributes of prometheus-client's metric
classes: the version range is pinned and tests/unit/observability/test_file_values.py fails if
they change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from prometheus_client.metrics import Counter, Gauge, Histogram


def adder(child: Counter | Gauge) -> Callable[[float], None]:
    """Adds its argument to the child (a counter's amount is never negative here)."""
    add: Callable[[float], None] = child._value.inc
    return add


def setter(child: Gauge) -> Callable[[float], None]:
    """Sets the child (a gauge of any mode but `mostrecent`, which needs the time)."""
    put: Callable[[float], None] = child._value.set
    return put


def observer(child: Histogram) -> Callable[[float], None]:
    """Observes its argument in the child: adds it to the sum and counts it in its bucket."""
    add_to_sum = child._sum.inc
    bucket_adders = [bucket.inc for bucket in child._buckets]
    bounds = list(child._upper_bounds)

    def observe(amount: float) -> None:
        add_to_sum(amount)
        # The first bucket whose bound is at least the amount (the last one is +Inf).
        bucket_adders[bisect_left(bounds, amount)](1.0)

    return observe
