"""SQL storage on SQLAlchemy 2: DBType, ModelBase, the tables, repositories and set-up helpers."""
