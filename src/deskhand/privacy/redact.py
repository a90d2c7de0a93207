"""Redacting one conversation: what was said goes, the shape stays (for the metrics)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.privacy.held import ERASED, Reason


def redact_conversation(
    session: Session, conversation_id: str, reason: Reason, now: datetime
) -> int:
    """Empty the conversation's messages, addresses and mail; returns the messages redacted.

    Kept: the conversation, each message's role, channel, language, time and meta (intent,
    skill, outcome), and the analytics events, none of which says who the shopper was.
    """
    conv = session.get(models.Conversation, conversation_id)
    if conv is None:
        return 0
    conv.customer_id, conv.state, conv.client_key = None, {}, ""
    redacted = session.execute(
        update(models.Message)
        .where(models.Message.conversation_id == conversation_id)
        .values(text=None, blocks=[], context=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(models.ConversationAddress)
        .where(models.ConversationAddress.conversation_id == conversation_id)
        .values(address=ERASED, subject="", options=[])
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(models.EmailMessageId).where(
            models.EmailMessageId.conversation_id == conversation_id
        )
    )
    session.execute(
        update(models.InboundMessage)
        .where(models.InboundMessage.conversation_id == conversation_id)
        .values(address=ERASED, payload={})
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(models.OutboxMessage)
        .where(
            models.OutboxMessage.conversation_id == conversation_id,
            models.OutboxMessage.status.not_in(("pending", "retry", "sending")),
        )
        .values(recipient=ERASED, subject="", body="", payload=None)
        .execution_options(synchronize_session=False)
    )
    # A handed-off conversation's ticket carried the transcript and the shopper's address.
    session.execute(
        update(models.HelpdeskTicket)
        .where(models.HelpdeskTicket.conversation_id == conversation_id)
        .values(shopper_email=ERASED, customer_id=None, reason="", packet={})
        .execution_options(synchronize_session=False)
    )
    # The team's internal notes on it are about the shopper too.
    tickets = select(models.HelpdeskTicket.id).where(
        models.HelpdeskTicket.conversation_id == conversation_id
    )
    session.execute(
        update(models.HelpdeskNote)
        .where(models.HelpdeskNote.ticket_id.in_(tickets))
        .values(text=ERASED)
        .execution_options(synchronize_session=False)
    )
    if (
        session.scalar(
            select(models.Redaction).where(models.Redaction.conversation_id == conversation_id)
        )
        is None
    ):
        session.add(
            models.Redaction(
                conversation_id=conversation_id,
                brand_id=conv.brand_id,
                reason=reason.value,
                redacted_at=now,
            )
        )
    session.flush()
    return int(redacted.rowcount)  # type: ignore[attr-defined]  # an UPDATE's CursorResult
