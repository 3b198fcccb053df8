"""Ports: the interfaces the use cases need, implemented by adapters."""
