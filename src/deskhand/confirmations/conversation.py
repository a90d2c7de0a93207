"""The shopper's open conversation: where the Hub's news is posted, and how it is reached."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.agent.conversations import post_agent_message
from deskhand.agent.state import DialogueState
from deskhand.db import models
from deskhand.domain.blocks import Reply

# A conversation touched within this long is the one the shopper came to the Hub from.
OPEN_FOR = timedelta(hours=24)
CLOSED = "closed"
RECENT_MESSAGES = 20  # how far back to look for the shop page the shopper wrote from


def open_conversation(
    session: Session, *, brand_id: int, customer_id: int, now: datetime
) -> models.Conversation | None:
    """The shopper's most recent verified conversation that is still going, if any."""
    return session.scalars(
        select(models.Conversation)
        .where(
            models.Conversation.brand_id == brand_id,
            models.Conversation.customer_id == customer_id,
            models.Conversation.status != CLOSED,
            models.Conversation.updated_at >= now - OPEN_FOR,
        )
        .order_by(models.Conversation.updated_at.desc())
        .limit(1)
    ).first()


def sms_number(session: Session, conv: models.Conversation) -> str | None:
    """The number an SMS conversation is reached at; None for every other channel."""
    return session.scalars(
        select(models.ConversationAddress.address).where(
            models.ConversationAddress.conversation_id == conv.id,
            models.ConversationAddress.channel == "sms",
        )
    ).first()


def shop_page(session: Session, conv: models.Conversation) -> str | None:
    """The shop page the shopper last wrote from (web chat), for a way back from the Hub."""
    contexts = session.scalars(
        select(models.Message.context)
        .where(models.Message.conversation_id == conv.id, models.Message.role == "shopper")
        .order_by(models.Message.seq.desc())
        .limit(RECENT_MESSAGES)
    )
    # A JSON null and a missing context look alike to SQL: look at the values themselves.
    for context in contexts:
        url = context.get("url") if isinstance(context, dict) else None
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            return url
    return None


def post_event(
    session: Session, conv: models.Conversation, reply: Reply, *, order_number: str, now: datetime
) -> models.Message:
    """Post news into the conversation; the buttons shown before it no longer apply."""
    state = DialogueState.from_json(conv.state)
    state.live_actions = []
    state.focus_order = order_number
    conv.state = state.to_json()
    return post_agent_message(session, conv, reply, now=now)
