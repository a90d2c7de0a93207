"""What leaves the process: the outbox, vendor delivery callbacks, opt-outs, webhook nonces."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class OutboxMessage(Base):
    """A side effect that leaves the process, written in the same transaction as its cause."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "email" | "sms"
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # Delivery by the worker (jobs/worker.py); the columns below came with the messaging work.
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    payload: Mapped[dict[str, Any] | None]  # channel extras: HTML part, threading headers
    after_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))  # send after this one
    next_attempt_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]  # a worker is delivering it until then
    provider_ref: Mapped[str | None] = mapped_column(String(64), index=True)  # Twilio's SM…
    provider_status: Mapped[str | None] = mapped_column(String(32))


class DeliveryEvent(Base):
    """A vendor's status callback about one sent message (queued, sent, delivered, …)."""

    __tablename__ = "delivery_events"
    __table_args__ = (UniqueConstraint("provider", "provider_ref", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), index=True)
    provider: Mapped[str] = mapped_column(String(16))
    provider_ref: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime]


class ChannelOptOut(Base):
    """An address that sent STOP: nothing more is sent to it until it sends START."""

    __tablename__ = "channel_opt_outs"
    __table_args__ = (UniqueConstraint("brand_id", "channel", "address"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(320))
    keyword: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class WebhookNonce(Base):
    """A signed webhook's one-time token (Mailgun's `token`), so a replay is refused."""

    __tablename__ = "webhook_nonces"
    __table_args__ = (UniqueConstraint("provider", "nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(128))
    seen_at: Mapped[datetime] = mapped_column(index=True)
