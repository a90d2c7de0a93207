"""baseline

Revision ID: 0001
Revises:
Create Date: 2026-12-05 23:06:48.064132
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskhand.db.models

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "brands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("default_language", sa.String(length=8), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("shop_url", sa.String(length=500), nullable=False),
        sa.Column("store_kind", sa.String(length=16), server_default="embedded", nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "webhook_nonces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("seen_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "nonce"),
    )
    with op.batch_alter_table("webhook_nonces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_nonces_seen_at"), ["seen_at"], unique=False)

    op.create_table(
        "agent_launch",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("test_addresses", sa.JSON(), nullable=False),
        sa.Column("published_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("changed_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("brand_id"),
    )
    op.create_table(
        "agent_test_suites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "name"),
    )
    with op.batch_alter_table("agent_test_suites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agent_test_suites_brand_id"), ["brand_id"], unique=False
        )

    op.create_table(
        "analytics_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("props", sa.JSON(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("analytics_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analytics_events_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analytics_events_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=500), server_default="", nullable=False),
        sa.Column("format", sa.String(length=16), server_default="markdown", nullable=False),
        sa.Column("content_hash", sa.String(length=64), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "slug"),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index("ix_articles_brand_source", ["brand_id", "source"], unique=False)

    op.create_table(
        "background_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("background_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_background_tasks_brand_id"), ["brand_id"], unique=False
        )

    op.create_table(
        "channel_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("keyword", sa.String(length=32), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "channel", "address"),
    )
    with op.batch_alter_table("channel_opt_outs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_channel_opt_outs_brand_id"), ["brand_id"], unique=False
        )

    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "email"),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "external_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column(
            "remote_updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "source", "kind", "external_id"),
    )
    with op.batch_alter_table("external_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_external_links_local", ["brand_id", "source", "kind", "local_id"], unique=False
        )

    op.create_table(
        "handoff_settings",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("brand_id"),
    )
    op.create_table(
        "integrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("sealed_secrets", sa.Text(), nullable=False),
        sa.Column("connected_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_synced_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "kind"),
    )
    with op.batch_alter_table("integrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_integrations_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "kb_versions",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("changed_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("brand_id"),
    )
    op.create_table(
        "oauth_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("shop", sa.String(length=255), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("state"),
    )
    with op.batch_alter_table("oauth_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oauth_states_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "product_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("product_title", sa.String(length=200), nullable=False),
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "product_title", "word"),
    )
    with op.batch_alter_table("product_synonyms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_synonyms_brand_id"), ["brand_id"], unique=False
        )

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "handle"),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_products_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("rma", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("items_value", sa.Integer(), nullable=False),
        sa.Column("return_shipping", sa.Integer(), nullable=False),
        sa.Column("refund_amount", sa.Integer(), nullable=False),
        sa.Column("store_credit", sa.Integer(), nullable=False),
        sa.Column("exchange_difference", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("submit_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "rma"),
        sa.UniqueConstraint("brand_id", "submit_key"),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_returns_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_returns_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_returns_order_id"), ["order_id"], unique=False)

    op.create_table(
        "skill_switches",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("brand_id", "skill"),
    )
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("since", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_runs_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("availability", sa.String(length=16), nullable=False),
        sa.Column("last_assigned_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "email"),
    )
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_members_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "webhook_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("webhook_id", sa.String(length=128), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("received_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "webhook_id"),
    )
    with op.batch_alter_table("webhook_receipts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_receipts_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_receipts_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "widget_settings",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("accent_colour", sa.String(length=7), nullable=False),
        sa.Column("position", sa.String(length=8), nullable=False),
        sa.Column("greetings", sa.JSON(), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("logo_url", sa.String(length=500), nullable=True),
        sa.Column("portal_names", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("brand_id"),
    )
    op.create_table(
        "article_translations",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("group_slug", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("article_id"),
    )
    with op.batch_alter_table("article_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_translations_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            "ix_article_translations_group", ["brand_id", "group_slug"], unique=False
        )

    op.create_table(
        "conversations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("client_key", sa.String(length=128), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversations_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "hub_handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("hub_handoffs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_handoffs_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "hub_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("flash", sa.JSON(), nullable=True),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("hub_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_sessions_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hub_sessions_customer_id"), ["customer_id"], unique=False
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
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
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
        sa.Column("checked_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kb_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_findings_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_findings_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("placed_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cancelled_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("shipping_address", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "number"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "return_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("return_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_events_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_events_return_id"), ["return_id"], unique=False)

    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("line_item_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("exchange_variant_id", sa.Integer(), nullable=True),
        sa.Column("exchange_variant", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_lines_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False)

    op.create_table(
        "settings_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["team_members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("settings_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settings_changes_brand_id"), ["brand_id"], unique=False
        )

    op.create_table(
        "team_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["team_members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("team_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_sessions_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_sessions_member_id"), ["member_id"], unique=False)

    op.create_table(
        "team_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["team_members.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["team_members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("team_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_tokens_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_tokens_member_id"), ["member_id"], unique=False)

    op.create_table(
        "variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("size", sa.String(length=32), nullable=True),
        sa.Column("colour", sa.String(length=32), nullable=True),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "sku"),
    )
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_variants_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_variants_product_id"), ["product_id"], unique=False)

    op.create_table(
        "conversation_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("last_inbound_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "channel"),
    )
    with op.batch_alter_table("conversation_addresses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_addresses_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_addresses_conversation_id"),
            ["conversation_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_conversation_addresses_lookup", ["brand_id", "channel", "address"], unique=False
        )

    op.create_table(
        "email_message_ids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "message_id"),
    )
    with op.batch_alter_table("email_message_ids", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_message_ids_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_email_message_ids_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "fulfillment_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("line_item_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fulfillment_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fulfillment_orders_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fulfillment_orders_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "helpdesk_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("destination", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("requester_id", sa.String(length=64), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("shopper_email", sa.String(length=320), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("packet", sa.JSON(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("solved_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("handed_back_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["team_members.id"],
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "idempotency_key"),
    )
    with op.batch_alter_table("helpdesk_tickets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_helpdesk_tickets_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_helpdesk_tickets_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_helpdesk_tickets_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("received_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "channel", "external_id"),
    )
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_messages_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            "ix_inbound_messages_status_received", ["status", "received_at"], unique=False
        )

    op.create_table(
        "messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=True),
        sa.Column("blocks", sa.JSON(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_messages_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("after_id", sa.Integer(), nullable=True),
        sa.Column("next_attempt_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("locked_until", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("provider_ref", sa.String(length=64), nullable=True),
        sa.Column("provider_status", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["after_id"],
            ["outbox.id"],
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_provider_ref"), ["provider_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_recipient"), ["recipient"], unique=False)
        batch_op.create_index(
            "ix_outbox_status_next_attempt", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "preview_conversations",
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("as_customer", sa.String(length=320), nullable=False),
        sa.Column("turns", sa.JSON(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["team_members.id"],
        ),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    with op.batch_alter_table("preview_conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_preview_conversations_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_preview_conversations_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "redactions",
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("redacted_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_redactions_brand_id"), ["brand_id"], unique=False)

    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("tracking_url", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("shipped_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("eta", sa.Date(), nullable=True),
        sa.Column("delivered_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipments_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shipments_order_id"), ["order_id"], unique=False)

    op.create_table(
        "verification_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=8), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("client_key", sa.String(length=128), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("expires_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("link_nonce_hash", sa.String(length=64), nullable=True),
        sa.Column("link_expires_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_path", sa.String(length=300), nullable=True),
        sa.Column("locked_until", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("consumed_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    with op.batch_alter_table("verification_codes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_verification_codes_address_created",
            ["brand_id", "address", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_verification_codes_brand_id"), ["brand_id"], unique=False
        )
        batch_op.create_index(
            "ix_verification_codes_client_created",
            ["brand_id", "client_key", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_verification_codes_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "delivery_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("received_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "provider_ref", "status"),
    )
    with op.batch_alter_table("delivery_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_events_outbox_id"), ["outbox_id"], unique=False
        )

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
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["helpdesk_tickets.id"],
        ),
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

    op.create_table(
        "helpdesk_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["team_members.id"],
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["helpdesk_tickets.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("helpdesk_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_helpdesk_notes_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_helpdesk_notes_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "line_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("personalised", sa.Boolean(), nullable=False),
        sa.Column("preorder", sa.Boolean(), nullable=False),
        sa.Column("final_sale", sa.Boolean(), nullable=False),
        sa.Column("gift_card", sa.Boolean(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.Column("variant_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("line_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_line_items_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_line_items_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_line_items_variant_id"), ["variant_id"], unique=False)

    op.create_table(
        "order_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_item_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("hub_session_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", deskhand.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["hub_session_id"],
            ["hub_sessions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["line_item_id"],
            ["line_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("order_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_history_brand_id"), ["brand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_history_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_history_order_id"))
        batch_op.drop_index(batch_op.f("ix_order_history_brand_id"))

    op.drop_table("order_history")
    with op.batch_alter_table("line_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_line_items_variant_id"))
        batch_op.drop_index(batch_op.f("ix_line_items_order_id"))
        batch_op.drop_index(batch_op.f("ix_line_items_brand_id"))

    op.drop_table("line_items")
    with op.batch_alter_table("helpdesk_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpdesk_notes_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_helpdesk_notes_brand_id"))

    op.drop_table("helpdesk_notes")
    with op.batch_alter_table("helpdesk_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpdesk_comments_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_helpdesk_comments_brand_id"))

    op.drop_table("helpdesk_comments")
    with op.batch_alter_table("delivery_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_events_outbox_id"))

    op.drop_table("delivery_events")
    with op.batch_alter_table("verification_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_codes_conversation_id"))
        batch_op.drop_index("ix_verification_codes_client_created")
        batch_op.drop_index(batch_op.f("ix_verification_codes_brand_id"))
        batch_op.drop_index("ix_verification_codes_address_created")

    op.drop_table("verification_codes")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_order_id"))
        batch_op.drop_index(batch_op.f("ix_shipments_brand_id"))

    op.drop_table("shipments")
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redactions_brand_id"))

    op.drop_table("redactions")
    with op.batch_alter_table("preview_conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preview_conversations_member_id"))
        batch_op.drop_index(batch_op.f("ix_preview_conversations_brand_id"))

    op.drop_table("preview_conversations")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_status_next_attempt")
        batch_op.drop_index(batch_op.f("ix_outbox_recipient"))
        batch_op.drop_index(batch_op.f("ix_outbox_provider_ref"))
        batch_op.drop_index(batch_op.f("ix_outbox_brand_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_messages_brand_id"))

    op.drop_table("messages")
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_messages_status_received")
        batch_op.drop_index(batch_op.f("ix_inbound_messages_brand_id"))

    op.drop_table("inbound_messages")
    with op.batch_alter_table("helpdesk_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpdesk_tickets_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_helpdesk_tickets_brand_id"))
        batch_op.drop_index(batch_op.f("ix_helpdesk_tickets_assignee_id"))

    op.drop_table("helpdesk_tickets")
    with op.batch_alter_table("fulfillment_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fulfillment_orders_order_id"))
        batch_op.drop_index(batch_op.f("ix_fulfillment_orders_brand_id"))

    op.drop_table("fulfillment_orders")
    with op.batch_alter_table("email_message_ids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_message_ids_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_email_message_ids_brand_id"))

    op.drop_table("email_message_ids")
    with op.batch_alter_table("conversation_addresses", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_addresses_lookup")
        batch_op.drop_index(batch_op.f("ix_conversation_addresses_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_addresses_brand_id"))

    op.drop_table("conversation_addresses")
    with op.batch_alter_table("variants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_variants_product_id"))
        batch_op.drop_index(batch_op.f("ix_variants_brand_id"))

    op.drop_table("variants")
    with op.batch_alter_table("team_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_tokens_member_id"))
        batch_op.drop_index(batch_op.f("ix_team_tokens_brand_id"))

    op.drop_table("team_tokens")
    with op.batch_alter_table("team_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_sessions_member_id"))
        batch_op.drop_index(batch_op.f("ix_team_sessions_brand_id"))

    op.drop_table("team_sessions")
    with op.batch_alter_table("settings_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settings_changes_brand_id"))

    op.drop_table("settings_changes")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))
        batch_op.drop_index(batch_op.f("ix_return_lines_brand_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("return_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_events_return_id"))
        batch_op.drop_index(batch_op.f("ix_return_events_brand_id"))

    op.drop_table("return_events")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_customer_id"))
        batch_op.drop_index(batch_op.f("ix_orders_brand_id"))

    op.drop_table("orders")
    with op.batch_alter_table("kb_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_findings_brand_id"))
        batch_op.drop_index(batch_op.f("ix_kb_findings_article_id"))

    op.drop_table("kb_findings")
    with op.batch_alter_table("kb_chunks", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_chunks_brand_text_hash")
        batch_op.drop_index(batch_op.f("ix_kb_chunks_brand_id"))
        batch_op.drop_index(batch_op.f("ix_kb_chunks_article_id"))

    op.drop_table("kb_chunks")
    with op.batch_alter_table("hub_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_sessions_customer_id"))
        batch_op.drop_index(batch_op.f("ix_hub_sessions_brand_id"))

    op.drop_table("hub_sessions")
    with op.batch_alter_table("hub_handoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_handoffs_brand_id"))

    op.drop_table("hub_handoffs")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_brand_id"))

    op.drop_table("conversations")
    with op.batch_alter_table("article_translations", schema=None) as batch_op:
        batch_op.drop_index("ix_article_translations_group")
        batch_op.drop_index(batch_op.f("ix_article_translations_brand_id"))

    op.drop_table("article_translations")
    op.drop_table("widget_settings")
    with op.batch_alter_table("webhook_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_receipts_received_at"))
        batch_op.drop_index(batch_op.f("ix_webhook_receipts_brand_id"))

    op.drop_table("webhook_receipts")
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_members_brand_id"))

    op.drop_table("team_members")
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_runs_brand_id"))

    op.drop_table("sync_runs")
    op.drop_table("skill_switches")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_order_id"))
        batch_op.drop_index(batch_op.f("ix_returns_customer_id"))
        batch_op.drop_index(batch_op.f("ix_returns_brand_id"))

    op.drop_table("returns")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_brand_id"))

    op.drop_table("products")
    with op.batch_alter_table("product_synonyms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_synonyms_brand_id"))

    op.drop_table("product_synonyms")
    with op.batch_alter_table("oauth_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oauth_states_brand_id"))

    op.drop_table("oauth_states")
    op.drop_table("kb_versions")
    with op.batch_alter_table("integrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_integrations_brand_id"))

    op.drop_table("integrations")
    op.drop_table("handoff_settings")
    with op.batch_alter_table("external_links", schema=None) as batch_op:
        batch_op.drop_index("ix_external_links_local")

    op.drop_table("external_links")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_brand_id"))

    op.drop_table("customers")
    with op.batch_alter_table("channel_opt_outs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_opt_outs_brand_id"))

    op.drop_table("channel_opt_outs")
    with op.batch_alter_table("background_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_background_tasks_brand_id"))

    op.drop_table("background_tasks")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_brand_source")
        batch_op.drop_index(batch_op.f("ix_articles_brand_id"))

    op.drop_table("articles")
    with op.batch_alter_table("analytics_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analytics_events_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_analytics_events_brand_id"))

    op.drop_table("analytics_events")
    with op.batch_alter_table("agent_test_suites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_test_suites_brand_id"))

    op.drop_table("agent_test_suites")
    op.drop_table("agent_launch")
    with op.batch_alter_table("webhook_nonces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_nonces_seen_at"))

    op.drop_table("webhook_nonces")
    op.drop_table("brands")
