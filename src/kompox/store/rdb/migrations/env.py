"""Alembic environment: the caller hands over an open connection (no alembic.ini, no engine here)."""

from __future__ import annotations

from alembic import context

from kompox.store.rdb.schema import METADATA

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=METADATA)
with context.begin_transaction():
    context.run_migrations()
