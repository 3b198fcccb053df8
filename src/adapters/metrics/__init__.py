"""Prometheus metrics of the service: the instruments, and the adapters that feed them."""
