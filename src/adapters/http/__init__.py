"""The HTTP adapter: a thin Flask layer of blueprints, schemas, error handlers and auth."""
