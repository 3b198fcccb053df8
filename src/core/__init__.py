"""The domain: entities, errors, ports and use cases. Imports the standard library only."""
