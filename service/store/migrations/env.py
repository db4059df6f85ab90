"""Alembic environment: migrate on the connection the service hands over (never a URL of its own)."""

from __future__ import annotations

from alembic import context
from crosscontract.service.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
