"""SQLAlchemy models of the messaging channels (SMS, WhatsApp, email) and delivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models import Base


class InboundMessage(Base):
    """A message received on a channel, kept before the agent reads it.

    The unique key makes a replayed webhook a no-op; the row keeps the message even when
    answering it fails, and the worker tries again.
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("brand_id", "channel", "external_id"),
        Index("ix_inbound_messages_status_received", "status", "received_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # "sms" | "whatsapp" | "email"
    external_id: Mapped[str] = mapped_column(String(500))  # MessageSid, Message-ID
    address: Mapped[str] = mapped_column(String(320))  # the sender
    payload: Mapped[dict[str, Any]]
    # "received" -> "processing" -> "processed" | "ignored" | "failed"
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]


class ConversationAddress(Base):
    """Where a conversation is reached on one channel, and the numbered options shown there."""

    __tablename__ = "conversation_addresses"
    __table_args__ = (
        UniqueConstraint("conversation_id", "channel"),
        Index("ix_conversation_addresses_lookup", "brand_id", "channel", "address"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(320))
    # Action ids behind "reply 1, 2, …" in the last reply sent on this channel.
    options: Mapped[list[Any]]
    subject: Mapped[str] = mapped_column(String(300), default="")  # email thread subject
    last_inbound_at: Mapped[datetime]


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


class EmailMessageId(Base):
    """A Message-ID received or sent in a conversation's email thread."""

    __tablename__ = "email_message_ids"
    __table_args__ = (UniqueConstraint("brand_id", "message_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(500))
    direction: Mapped[str] = mapped_column(String(8))  # "in" | "out"
    created_at: Mapped[datetime]


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


class WebhookNonce(Base):
    """A signed webhook's one-time token (Mailgun's `token`), so a replay is refused."""

    __tablename__ = "webhook_nonces"
    __table_args__ = (UniqueConstraint("provider", "nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(128))
    seen_at: Mapped[datetime] = mapped_column(index=True)
