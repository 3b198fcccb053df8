"""Use cases: each receives its ports as arguments and knows nothing of HTTP or storage."""
