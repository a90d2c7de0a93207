"""A conversation handed to the built-in inbox, the way the handoff (h13a) records it: one
HelpdeskTicket row for the conversation and the conversation's status.

Kept to one small function so that, once the agent's escalation lands, the tests can switch
to the real flow (the shopper's consent creating the ticket) in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.vocabulary import HandoffDestination, TicketDelivery, TicketStatus

HANDED_OFF = "handed_off"


def hand_to_inbox(
    session: Session,
    conversation_id: str,
    *,
    email: str = "",
    intent: str = "human_handoff",
    reason: str = "The shopper asked for a person.",
    destination: HandoffDestination = HandoffDestination.BUILTIN,
) -> int:
    """Hand the conversation to the team; the new ticket's id."""
    now = datetime.now(UTC)
    conv = session.get(models.Conversation, conversation_id)
    assert conv is not None, conversation_id
    rows = session.scalars(
        select(models.Message)
        .where(models.Message.conversation_id == conv.id)
        .order_by(models.Message.seq)
    )
    packet = {
        "transcript": [
            {"role": m.role, "text": m.text or "", "at": m.created_at.isoformat()} for m in rows
        ],
        "email": email,
        "customer_id": conv.customer_id,
        "channel": conv.channel,
        "language": conv.language,
        "intent": intent,
        "reason": reason,
    }
    ticket = models.HelpdeskTicket(
        brand_id=conv.brand_id,
        conversation_id=conv.id,
        destination=destination.value,
        status=TicketStatus.OPEN.value,
        delivery=TicketDelivery.DELIVERED.value,
        idempotency_key=f"handoff:{conv.id}:{now.timestamp():.6f}"[:64],
        shopper_email=email,
        customer_id=conv.customer_id,
        channel=conv.channel,
        language=conv.language,
        intent=intent,
        reason=reason,
        packet=packet,
        created_at=now,
        updated_at=now,
    )
    session.add(ticket)
    conv.status = HANDED_OFF
    session.commit()
    return ticket.id
