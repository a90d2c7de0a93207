"""Who wrote, and which conversation their message continues.

A sender's channel address (phone number, email address) is matched to the store's customer.
Replies only ever go back to that same address, so someone forging a sender never sees what
the agent answers: the address counts as verified, like a one-time code sent to it would.
An email whose provider reports a failed SPF/DKIM check does not count.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.models import ConversationAddress

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
CONTINUABLE = ("open", "handoff_requested")


def normalise_phone(raw: str | None) -> str | None:
    """E.164 ('+31612345678') from '+31 6 1234-5678', '0031…', 'whatsapp:+31…'; else None."""
    if not raw:
        return None
    value = raw.strip()
    if value.lower().startswith("whatsapp:"):
        value = value[len("whatsapp:") :]
    value = re.sub(r"[\s\-().]", "", value)
    if value.startswith("00"):
        value = "+" + value[2:]
    return value if _E164.match(value) else None


def normalise_email(raw: str | None) -> str | None:
    if not raw or "@" not in raw:
        return None
    return raw.strip().lower()


def customer_by_phone(session: Session, brand_id: int, phone: str) -> models.Customer | None:
    """The one customer with this number (stored in any common format); None if 0 or 2+."""
    exact = list(
        session.scalars(
            select(models.Customer).where(
                models.Customer.brand_id == brand_id, models.Customer.phone == phone
            )
        )
    )
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    tail = phone[-2:]
    found = [
        c
        for c in session.scalars(
            select(models.Customer).where(
                models.Customer.brand_id == brand_id, models.Customer.phone.like(f"%{tail}")
            )
        )
        if normalise_phone(c.phone) == phone
    ]
    return found[0] if len(found) == 1 else None


def customer_by_email(session: Session, brand_id: int, email: str) -> models.Customer | None:
    return session.scalar(
        select(models.Customer).where(
            models.Customer.brand_id == brand_id, func.lower(models.Customer.email) == email
        )
    )


def conversation_to_continue(
    session: Session,
    *,
    brand_id: int,
    channel: str,
    address: str,
    customer_id: int | None,
    thread_conversation_id: str | None,
    now: datetime,
    resume_hours: int,
) -> models.Conversation | None:
    """The conversation this message belongs to, or None to start one.

    An email reply in a known thread continues it (if it comes from that thread's address or
    customer); otherwise the customer's latest open conversation on any channel, or this
    address's, continues when it was active within `resume_hours`.
    """
    if thread_conversation_id:
        conv = session.get(models.Conversation, thread_conversation_id)
        if conv is not None and conv.brand_id == brand_id and conv.status in CONTINUABLE:
            same_customer = customer_id is not None and conv.customer_id == customer_id
            same_address = session.scalar(
                select(ConversationAddress.id).where(
                    ConversationAddress.conversation_id == conv.id,
                    ConversationAddress.channel == channel,
                    ConversationAddress.address == address,
                )
            )
            if same_customer or same_address:
                return conv
    since = now - timedelta(hours=resume_hours)
    if customer_id is not None:
        conv = session.scalar(
            select(models.Conversation)
            .where(
                models.Conversation.brand_id == brand_id,
                models.Conversation.customer_id == customer_id,
                models.Conversation.status.in_(CONTINUABLE),
                models.Conversation.updated_at >= since,
            )
            .order_by(models.Conversation.updated_at.desc())
            .limit(1)
        )
        if conv is not None:
            return conv
    conv = session.scalar(
        select(models.Conversation)
        .join(ConversationAddress, ConversationAddress.conversation_id == models.Conversation.id)
        .where(
            ConversationAddress.brand_id == brand_id,
            ConversationAddress.channel == channel,
            ConversationAddress.address == address,
            models.Conversation.status.in_(CONTINUABLE),
            models.Conversation.updated_at >= since,
        )
        .order_by(models.Conversation.updated_at.desc())
        .limit(1)
    )
    if conv is not None and customer_id is not None and conv.customer_id not in (None, customer_id):
        return None  # that address's conversation was verified as someone else
    return conv


def address_row(
    session: Session, conv: models.Conversation, channel: str, address: str, now: datetime
) -> ConversationAddress:
    """Record (or refresh) where this conversation is reached on `channel`."""
    row = session.scalar(
        select(ConversationAddress).where(
            ConversationAddress.conversation_id == conv.id, ConversationAddress.channel == channel
        )
    )
    if row is None:
        row = ConversationAddress(
            brand_id=conv.brand_id,
            conversation_id=conv.id,
            channel=channel,
            address=address,
            options=[],
            subject="",
            last_inbound_at=now,
        )
        session.add(row)
    row.address, row.last_inbound_at = address, now
    return row
