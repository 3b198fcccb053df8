"""MongoDB storage on pymongo (or mongomock): the repository, unit of work, indexes, sessions."""
