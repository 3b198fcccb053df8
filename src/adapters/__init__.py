"""Adapters: implementations of the core's ports on concrete technologies."""
