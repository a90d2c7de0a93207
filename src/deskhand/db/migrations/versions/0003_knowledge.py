"""knowledge base: chunks with stored embeddings, index version tokens, consistency findings

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26 07:05:15
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskhand.db.models

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = deskhand.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "kb_versions",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("changed_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"]),
        sa.PrimaryKeyConstraint("brand_id"),
    )
    op.create_table(
        "kb_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=300), nullable=False),
        sa.Column("anchor", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_chunks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_chunks_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_chunks_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(
            "ix_kb_chunks_brand_text_hash", ["brand_id", "text_hash"], unique=False
        )

    op.create_table(
        "kb_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("facet", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("expected", sa.String(length=200), nullable=False),
        sa.Column("found", sa.String(length=200), nullable=False),
        sa.Column("checked_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_findings_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_findings_brand_id"), ["brand_id"], unique=False)

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("format", sa.String(length=16), server_default="markdown", nullable=False)
        )
        batch_op.add_column(
            sa.Column("content_hash", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.create_index("ix_articles_brand_source", ["brand_id", "source"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_brand_source")
        batch_op.drop_column("content_hash")
        batch_op.drop_column("format")
        batch_op.drop_column("origin")

    with op.batch_alter_table("kb_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_findings_brand_id"))
        batch_op.drop_index(batch_op.f("ix_kb_findings_article_id"))
    op.drop_table("kb_findings")

    with op.batch_alter_table("kb_chunks", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_chunks_brand_text_hash")
        batch_op.drop_index(batch_op.f("ix_kb_chunks_brand_id"))
        batch_op.drop_index(batch_op.f("ix_kb_chunks_article_id"))
    op.drop_table("kb_chunks")
    op.drop_table("kb_versions")
