"""The service's store: SQLAlchemy 2 models, the database engine, Alembic migrations."""
