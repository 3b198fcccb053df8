"""The original boilerplate's APIs, kept working: ModelBase helpers, setup_sql_db, MongoLayer.

They sit beside the ports' adapters, not inside them: the repositories and units of work never
use them, and they share only the schema (`adapters.sql.tables`) and the clients.
"""
