"""The key-value store behind server-side sessions and the token deny-list (cachelib)."""
