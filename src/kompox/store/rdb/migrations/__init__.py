"""Alembic migration scripts of the database store (run programmatically by :mod:`kompox.store.rdb.migrate`)."""
