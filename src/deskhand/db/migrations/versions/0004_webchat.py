"""web chat: the page a shopper wrote from on each message, per-brand widget settings

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-26 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskhand.db.models

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = deskhand.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("context", sa.JSON(), nullable=True))
    op.create_table(
        "widget_settings",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("accent_colour", sa.String(length=7), nullable=False),
        sa.Column("position", sa.String(length=8), nullable=False),
        sa.Column("greetings", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"]),
        sa.PrimaryKeyConstraint("brand_id"),
    )


def downgrade() -> None:
    op.drop_table("widget_settings")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("context")
