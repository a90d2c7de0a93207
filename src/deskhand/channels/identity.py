"""Who wrote, and which conversation their message continues.

A sender's channel address (phone number, email address) is matched to the store's customer.
Replies only ever go back to that same address, so someone forging a sender never sees what
the agent answers: the address counts as verified, like a one-time code sent to it would.
An email whose provider reports a failed SPF/DKIM check does not count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.registry import store_for
from deskhand.db import models
from deskhand.db.models import ConversationAddress
from deskhand.domain.orders import Customer

CONTINUABLE = ("open", "handoff_requested", "handed_off")


def customer_of_sender(
    session: Session, brand: models.Brand, address: str, *, by_phone: bool
) -> Customer | None:
    """The store's customer behind a sender's phone number (SMS, WhatsApp) or email address.

    The Store port normalises both (`deskhand.domain.contact`); None when nobody, or more
    than one customer, has it.
    """
    store = store_for(session, brand)
    return store.customer_by_phone(address) if by_phone else store.customer_by_email(address)


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
