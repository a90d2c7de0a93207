"""Copies of an outside store kept in our tables: which outside id is which of our rows,
how far a sync has come, and which webhooks were already applied."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class ExternalLink(Base):
    """One outside record (a Shopify GID) and the row of ours that copies it.

    `kind` names our table (customer, product, variant, order, line_item, shipment);
    `remote_updated_at` is the outside record's own `updatedAt`, so an older copy never
    overwrites a newer one (webhooks arrive out of order).
    """

    __tablename__ = "external_links"
    __table_args__ = (
        UniqueConstraint("brand_id", "source", "kind", "external_id"),
        Index("ix_external_links_local", "brand_id", "source", "kind", "local_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"))
    source: Mapped[str] = mapped_column(String(16))  # domain.vocabulary.IntegrationKind
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    local_id: Mapped[int] = mapped_column(Integer)
    remote_updated_at: Mapped[datetime | None]


class SyncRun(Base):
    """One initial sync or reconciliation: where it stands, so an interrupted one resumes.

    `phase` is the resource being copied and `cursor` the last page committed; `counts`
    holds how many of each were copied and, where known, how many there are in all.
    """

    __tablename__ = "sync_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))  # "initial" | "reconcile"
    status: Mapped[str] = mapped_column(String(16))  # "running" | "done" | "failed"
    phase: Mapped[str] = mapped_column(String(16), default="")
    cursor: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[dict[str, Any]]
    since: Mapped[datetime | None]  # reconciliation: records updated after this instant
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")


class WebhookReceipt(Base):
    """A webhook delivery already applied (Shopify's `X-Shopify-Webhook-Id`): a replay or a
    retry of the same delivery is acknowledged and ignored."""

    __tablename__ = "webhook_receipts"
    __table_args__ = (UniqueConstraint("source", "webhook_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    webhook_id: Mapped[str] = mapped_column(String(128))
    topic: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # "applied" | "stale" | "ignored"
    received_at: Mapped[datetime] = mapped_column(index=True)
