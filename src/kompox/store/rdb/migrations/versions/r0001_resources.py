"""The resource table: one KOM document per row with an optimistic version."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kompox_resources",
        sa.Column("id", sa.String(1024), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("parent_id", sa.String(1024), nullable=False),
        sa.Column("document", sa.LargeBinary, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_kompox_resources_kind", "kompox_resources", ["kind"])
    op.create_index("ix_kompox_resources_parent_id", "kompox_resources", ["parent_id"])


def downgrade() -> None:
    op.drop_table("kompox_resources")
