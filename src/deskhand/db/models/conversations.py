"""Conversations, their messages, and how each is reached on a channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="open")
    language: Mapped[str] = mapped_column(String(8))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    verified_at: Mapped[datetime | None]
    state: Mapped[dict[str, Any]]
    client_key: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # "shopper" | "agent"
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(String(100))
    blocks: Mapped[list[Any]]
    meta: Mapped[dict[str, Any]]
    # Shopper messages from the web chat: the shop page they wrote from (url, title, product_id).
    context: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]


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
