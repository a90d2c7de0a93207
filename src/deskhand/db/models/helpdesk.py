"""Handing a conversation to the brand's people: one ticket per handoff (to the built-in inbox
or an external helpdesk) and the team's internal notes on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class HelpdeskTicket(Base):
    """A conversation handed to humans. `destination` is where it went
    (domain.vocabulary.HandoffDestination); `status` its place in the inbox (TicketStatus);
    `delivery` whether the external helpdesk has it yet (TicketDelivery), with
    `external_id` the helpdesk's ticket id and `idempotency_key` what makes its creation
    happen exactly once. `packet` is what the handoff carried (transcript with timestamps,
    email, customer id, channel, language, intent, reason) as sent."""

    __tablename__ = "helpdesk_tickets"
    __table_args__ = (UniqueConstraint("brand_id", "idempotency_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    destination: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    delivery: Mapped[str] = mapped_column(String(16), default="delivered")
    idempotency_key: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(64))
    # The requester's user id at the external helpdesk (Zendesk's `requester_id`), taken from
    # the create answer: the shopper's follow-up comments are posted as theirs.
    requester_id: Mapped[str | None] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"), index=True)
    shopper_email: Mapped[str] = mapped_column(String(320), default="")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    intent: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    packet: Mapped[dict[str, Any]]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    solved_at: Mapped[datetime | None]
    # Set when a team member hands the conversation back to the agent: from then the agent
    # answers again. Until then the agent stays silent in it, and a shopper writing into a
    # solved ticket reopens it (to the same member when available), never a new handoff offer.
    handed_back_at: Mapped[datetime | None]


class HelpdeskNote(Base):
    """An internal note of the team on a ticket; never shown to the shopper."""

    __tablename__ = "helpdesk_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("helpdesk_tickets.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class HelpdeskComment(Base):
    """A shopper's message written while an external helpdesk (Zendesk) has the conversation,
    added to its ticket as a public comment through the outbox (kind `helpdesk_comment`).
    `delivery` says whether the ticket has it (TicketDelivery); `external_id` is the
    helpdesk's comment id, which also keeps the comment from coming back as a team reply."""

    __tablename__ = "helpdesk_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("helpdesk_tickets.id"), index=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"), unique=True)
    delivery: Mapped[str] = mapped_column(String(16), default="queued")
    external_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
