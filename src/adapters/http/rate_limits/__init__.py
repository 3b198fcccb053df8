"""Rate limits: the limiter, counters that outlast an outage, windows, login throttling."""
