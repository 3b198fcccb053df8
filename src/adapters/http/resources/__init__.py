"""A resource over HTTP: one blueprint for its five operations, configured by a declaration."""
