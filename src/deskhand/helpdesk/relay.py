"""A helpdesk agent's reply, relayed into the shopper's conversation.

Stand-in for the built-in inbox's "append a team message and deliver it on the channel"
(h13b), kept to one function, `relay_team_message`, so the two can become one at merge.
The message is a `Message` with role "team" and the AgentMessage meta plus `author`; on
SMS and WhatsApp it is also written to the outbox for the conversation's number. Web chat
gets it live from the caller, which publishes `team_frame(...)` on the conversation bus
after the transaction commits (the bus lives above this package). Email conversations are
not relayed: the helpdesk writes to the requester's address itself.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.vocabulary import Intent, MessageRole, Outcome, Skill
from deskhand.jobs.outbox import enqueue

SMS_MAX = 1600  # Twilio's limit for one (concatenated) message body
TEXT_CHANNELS = ("sms", "whatsapp")


class Relay(Protocol):
    """How a helpdesk's reply enters the conversation (`relay_team_message`, or the inbox's
    own team-message function passed in by the caller)."""

    def __call__(
        self,
        session: Session,
        *,
        conv: models.Conversation,
        text: str,
        author: str,
        key: str,
        now: datetime,
    ) -> models.Message: ...


def team_meta(author: str) -> dict[str, Any]:
    return {
        "intent": Intent.HUMAN_HANDOFF.value,
        "skill": Skill.HANDOFF.value,
        "outcome": Outcome.HANDED_OFF.value,
        "author": {"name": author},
    }


def relay_team_message(
    session: Session,
    *,
    conv: models.Conversation,
    text: str,
    author: str,
    key: str,
    now: datetime,
) -> models.Message:
    """Append the team's message to the conversation and queue it for SMS/WhatsApp;
    `key` (unique per reply) keeps a repeated relay from texting the shopper twice."""
    seq = session.scalar(
        select(func.count())
        .select_from(models.Message)
        .where(models.Message.conversation_id == conv.id)
    )
    row = models.Message(
        id=str(uuid.uuid4()),
        brand_id=conv.brand_id,
        conversation_id=conv.id,
        seq=int(seq or 0) + 1,
        role=MessageRole.TEAM.value,
        channel=conv.channel,
        language=conv.language,
        text=None,
        action=None,
        blocks=[{"type": "text", "text": text}],
        meta=team_meta(author),
        created_at=now,
    )
    session.add(row)
    conv.updated_at = now
    if conv.channel in TEXT_CHANNELS:
        address = session.scalar(
            select(models.ConversationAddress.address).where(
                models.ConversationAddress.conversation_id == conv.id,
                models.ConversationAddress.channel == conv.channel,
            )
        )
        if address:
            out = enqueue(
                session,
                brand_id=conv.brand_id,
                kind=conv.channel,
                recipient=address,
                subject="",
                body=f"{author}: {text}"[:SMS_MAX],
                idempotency_key=f"team-reply:{key}"[:100],
                now=now,
            )
            out.conversation_id = conv.id
            out.payload = {"part": 1, "parts": 1}
    session.flush()
    return row


def team_frame(row: models.Message, conv: models.Conversation) -> dict[str, Any]:
    """The WebSocket "messages" frame for a team message, as agent replies are pushed."""
    return {
        "type": "messages",
        "messages": [
            {
                "id": row.id,
                "created_at": row.created_at.isoformat(),
                "language": row.language,
                "blocks": row.blocks,
                "meta": row.meta,
            }
        ],
        "conversation": {
            "status": conv.status,
            "language": conv.language,
            "verified": conv.customer_id is not None,
        },
        "pushed": True,
    }
