"""helpdesk comments: the shopper's follow-ups on a Zendesk ticket, and its requester id

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 22:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskhand.db.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("helpdesk_tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requester_id", sa.String(length=64), nullable=True))
    op.create_table(
        "helpdesk_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["helpdesk_tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("helpdesk_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_helpdesk_comments_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_helpdesk_comments_ticket_id"), ["ticket_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("helpdesk_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpdesk_comments_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_helpdesk_comments_brand_id"))
    op.drop_table("helpdesk_comments")
    with op.batch_alter_table("helpdesk_tickets", schema=None) as batch_op:
        batch_op.drop_column("requester_id")
