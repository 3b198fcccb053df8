"""SQL storage on SQLAlchemy 2: DBType, the tables, the repository, unit of work, migrations."""
