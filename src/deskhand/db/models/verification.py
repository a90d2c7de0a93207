"""Proving who a shopper is: one-time codes (and magic links), hand-over tokens, Hub sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class VerificationCode(Base):
    """One one-time code sent to an address, from any channel; only hashes are kept.

    Chat, SMS, email and the Hub all write here, so the per-address and per-client limits
    count one table. A Hub sign-in adds a single-use magic link (its nonce's hash) and where
    to go afterwards; a chat code names its conversation.
    """

    __tablename__ = "verification_codes"
    __table_args__ = (
        Index("ix_verification_codes_address_created", "brand_id", "address", "created_at"),
        Index("ix_verification_codes_client_created", "brand_id", "client_key", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)  # names it in cookies, links
    flow: Mapped[str] = mapped_column(String(8))  # "chat" | "hub"
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(8))  # "email" | "sms": how it was sent
    address: Mapped[str] = mapped_column(String(320))  # normalised email or E.164 phone
    client_key: Mapped[str] = mapped_column(String(128))
    code_hash: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)  # wrong tries, in a row
    expires_at: Mapped[datetime]  # of the code
    link_nonce_hash: Mapped[str | None] = mapped_column(String(64))
    link_expires_at: Mapped[datetime | None]
    next_path: Mapped[str | None] = mapped_column(String(300))
    locked_until: Mapped[datetime | None]  # tries ran out: the code's subject pauses until then
    consumed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class HubHandoff(Base):
    """A short-lived, single-use sign-in a verified conversation hands to the Hub."""

    __tablename__ = "hub_handoffs"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class HubSession(Base):
    """A signed-in shopper's browser; the cookie holds a random id, only its hash is kept."""

    __tablename__ = "hub_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    via: Mapped[str] = mapped_column(String(16))  # "code" | "link" | "handoff"
    flash: Mapped[dict[str, Any] | None]  # one message for the next page shown
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]  # moves on with activity
    ended_at: Mapped[datetime | None]
