"""Sessions opened only when a route reads them, and their store's outages answered as 503."""
