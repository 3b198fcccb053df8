"""MongoDB storage on pymongo (or mongomock): MongoLayer, repositories, unit of work, sessions."""
