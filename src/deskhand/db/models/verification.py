"""Proving who a shopper is: one-time codes, Hub sign-ins, hand-over tokens and Hub sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class VerificationCode(Base):
    """A one-time code sent to an address; only its hash is kept."""

    __tablename__ = "verification_codes"
    __table_args__ = (Index("ix_verification_codes_address_created", "address", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    address: Mapped[str] = mapped_column(String(320))
    client_key: Mapped[str] = mapped_column(String(128), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    consumed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class HubSignIn(Base):
    """One sign-in request: a hashed 6-digit code and a single-use magic-link nonce."""

    __tablename__ = "hub_sign_ins"
    __table_args__ = (Index("ix_hub_sign_ins_address_created", "address", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    address: Mapped[str] = mapped_column(String(320))  # the email or phone typed
    channel: Mapped[str] = mapped_column(String(8))  # "email" | "sms"
    client_key: Mapped[str] = mapped_column(String(128), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    link_nonce_hash: Mapped[str] = mapped_column(String(64))
    next_path: Mapped[str] = mapped_column(String(300))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    code_expires_at: Mapped[datetime]
    link_expires_at: Mapped[datetime]
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
