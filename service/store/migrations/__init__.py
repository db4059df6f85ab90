"""Alembic's environment for the service's store; run by `database.migrate()` at start-up."""
