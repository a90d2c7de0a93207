"""Conversations as stored records: start one, and take one shopper turn with its reply.

Every channel (the public API, web chat, SMS, WhatsApp, email) goes through these two
functions, so the transcript, analytics and dialogue state look the same whatever the channel.
Call them inside one database transaction; nothing here commits.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.agent.engine import Agent
from deskhand.agent.understand.reading import Reading
from deskhand.analytics.events import record
from deskhand.analytics.signals import note_turn
from deskhand.db import models
from deskhand.domain.blocks import Block, Reply
from deskhand.helpdesk.follow_ups import queue_follow_up
from deskhand.helpdesk.ownership import human_has
from deskhand.helpdesk.tickets import reopen
from deskhand.verification.handoff import without_tokens


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_conversation(
    session: Session,
    *,
    brand: models.Brand,
    channel: str,
    language: str,
    client_key: str,
    now: datetime,
) -> tuple[models.Conversation, str]:
    """Create a conversation; returns it with its bearer token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    conv = models.Conversation(
        id=str(uuid.uuid4()),
        brand_id=brand.id,
        channel=channel,
        token_hash=token_hash(token),
        status="open",
        language=language,
        customer_id=None,
        verified_at=None,
        state={},
        client_key=client_key,
        created_at=now,
        updated_at=now,
    )
    session.add(conv)
    record(session, brand.id, conv.id, "conversation.started", {"channel": channel}, now)
    return conv, token


@dataclass(frozen=True)
class StoredReply:
    message: models.Message  # the agent's message as stored (Hub links without tokens)
    reply: Reply  # the reply as the shopper gets it (Hub links that sign in)

    @property
    def blocks(self) -> list[Block]:
        return self.reply.blocks


def take_turn(
    session: Session,
    agent: Agent,
    conv: models.Conversation,
    *,
    text: str | None,
    action: str | None,
    client_key: str,
    now: datetime,
    base_url: str,
    reading: Reading | None = None,
    channel: str | None = None,
    context: dict[str, Any] | None = None,
) -> StoredReply:
    """Store the shopper's message, let the agent answer, store and return the answer.

    `channel` is where this message came from (defaults to the conversation's first channel):
    a shopper may start on SMS and continue by email, and the transcript says which was which.
    `context` is the shop page the shopper wrote from (web chat), kept on their message.
    Raises agent.engine.UnknownAction for an action the agent never offered.
    """
    channel = channel or conv.channel
    _store_shopper(
        session, conv, text=text, action=action, channel=channel, now=now, context=context
    )
    reply = agent.take_turn(
        session,
        conv,
        text=text,
        action=action,
        client_key=client_key,
        now=now,
        base_url=base_url,
        reading=reading,
    )
    # A thanks after an answer confirms it; the same question after that reopens it.
    note_turn(session, conv.brand_id, conv.id, reply.intent, now)
    row = _store_reply(session, conv, reply, channel=channel, now=now)
    return StoredReply(row, reply)


def take_turn_unless_team(
    session: Session,
    agent: Agent,
    conv: models.Conversation,
    *,
    text: str | None,
    action: str | None,
    client_key: str,
    now: datetime,
    base_url: str,
    reading: Reading | None = None,
    channel: str | None = None,
    context: dict[str, Any] | None = None,
) -> StoredReply | None:
    """`take_turn`, unless people of the brand have the conversation (helpdesk.ownership):
    then the agent stays silent, the shopper's message is stored for the team (reopening a
    solved ticket, to the same member when available; added to a Zendesk ticket as a comment
    through the outbox) and None is returned."""
    ticket = human_has(session, conv.id)
    if ticket is None:
        return take_turn(
            session,
            agent,
            conv,
            text=text,
            action=action,
            client_key=client_key,
            now=now,
            base_url=base_url,
            reading=reading,
            channel=channel,
            context=context,
        )
    channel = channel or conv.channel
    message = _store_shopper(
        session, conv, text=text, action=action, channel=channel, now=now, context=context
    )
    queue_follow_up(session, ticket, message, now)  # Zendesk: a comment on its ticket
    reopen(session, ticket, now)
    ticket.updated_at = now
    conv.updated_at = now
    record(session, conv.brand_id, conv.id, "shopper.to_team", {"channel": channel}, now)
    session.flush()
    return None


def record_exchange(
    session: Session,
    conv: models.Conversation,
    *,
    text: str | None,
    reply: Reply | None,
    channel: str,
    now: datetime,
) -> models.Message | None:
    """Store a shopper message the agent does not read, and the channel's own answer if any.

    For what a channel settles itself (an opted-out sender, a language the brand does not
    speak, a picture without text, an auto-reply): the transcript keeps it all the same.
    Returns the stored answer.
    """
    _store_shopper(session, conv, text=text, action=None, channel=channel, now=now)
    if reply is None:
        conv.updated_at = now
        session.flush()
        return None
    return _store_reply(session, conv, reply, channel=channel, now=now)


def post_agent_message(
    session: Session, conv: models.Conversation, reply: Reply, *, now: datetime
) -> models.Message:
    """Store an agent message nobody asked for this turn (news from the Customer Hub)."""
    return _store_reply(session, conv, reply, channel=conv.channel, now=now)


def _next_seq(session: Session, conv: models.Conversation) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(models.Message)
        .where(models.Message.conversation_id == conv.id)
    )
    return int(count or 0) + 1


def _store_shopper(
    session: Session,
    conv: models.Conversation,
    *,
    text: str | None,
    action: str | None,
    channel: str,
    now: datetime,
    context: dict[str, Any] | None = None,
) -> models.Message:
    message = models.Message(
        id=str(uuid.uuid4()),
        brand_id=conv.brand_id,
        conversation_id=conv.id,
        seq=_next_seq(session, conv),
        role="shopper",
        channel=channel,
        language=conv.language,
        text=text,
        action=action,
        blocks=[],
        meta={},
        context=context or None,
        created_at=now,
    )
    session.add(message)
    session.flush()
    return message


def _store_reply(
    session: Session, conv: models.Conversation, reply: Reply, *, channel: str, now: datetime
) -> models.Message:
    meta = {"intent": reply.intent, "skill": reply.skill, "outcome": reply.outcome}
    row = models.Message(
        id=str(uuid.uuid4()),
        brand_id=conv.brand_id,
        conversation_id=conv.id,
        seq=_next_seq(session, conv),
        role="agent",
        channel=channel,
        language=conv.language,
        text=None,
        action=None,
        blocks=without_tokens(reply.blocks),  # the one-time sign-in tokens stay out
        meta=meta,
        created_at=now,
    )
    session.add(row)
    record(
        session,
        conv.brand_id,
        conv.id,
        "agent.replied",
        {**meta, "channel": channel, "language": conv.language},
        now,
    )
    conv.updated_at = now
    session.flush()
    return row
