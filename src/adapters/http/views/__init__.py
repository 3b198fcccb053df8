"""The routes, one module per group: items, users, tokens, root, health, docs."""
