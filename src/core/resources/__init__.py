"""Each resource declared with `core.resource`: its entity, its query and its fields."""
