"""The tables of the database store (SQLAlchemy Core); Alembic migrations create and evolve them.

One row per resource: the KOM document bytes exactly as given (``document``), the
identifying columns derived from it, and ``version`` for optimistic concurrency.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, LargeBinary, MetaData, String, Table

METADATA = MetaData()

RESOURCES = Table(
    "kompox_resources",
    METADATA,
    Column("id", String(1024), primary_key=True),
    Column("kind", String(32), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    Column("parent_id", String(1024), nullable=False, index=True),
    Column("document", LargeBinary, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
