"""A team member's message in a conversation: stored once, then delivered on its channel.

The one way a person's answer reaches a shopper (the built-in inbox now; a relayed helpdesk
reply later). `add_team_message` appends the Message (role "team", the AgentMessage shape
plus `meta.author`) and, for a conversation held on SMS, WhatsApp or email, hands the blocks
to the channel sender passed in (the channels render them the way they render the agent's
replies and put them in the outbox, in the same transaction). After the commit,
`publish_team_message` pushes it on the conversation bus, so the shopper's web-chat socket
and every open inbox page show it at once.

The sender is passed in (`serving/senders.py`): `serving` may not import `channels`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.blocks import Block
from deskhand.domain.vocabulary import Intent, MessageRole, Outcome, Skill
from deskhand.serving.bus import Bus, Frame
from deskhand.serving.schemas import AgentMessage, Meta, TurnResponse
from deskhand.serving.senders import ChannelSender
from deskhand.serving.turns import conversation_state

MAX_TEAM_MESSAGE_CHARS = 4000
WEB_CHANNELS = frozenset({"webchat", "api"})  # the bus reaches them; no outbox


class LiveFrame(StrEnum):
    """Bus frames beside "messages" (old widgets ignore types they do not know)."""

    SHOPPER_TYPING = "shopper_typing"  # {"typing": bool}: the shopper types in the widget
    TEAM_TYPING = "team_typing"  # {"typing": bool, "name": str}: a team member types


class EmptyTeamMessage(ValueError):
    """Nothing to send (blank after trimming) or more than MAX_TEAM_MESSAGE_CHARS."""


def team_meta(author_name: str) -> dict[str, Any]:
    return {
        "intent": Intent.HUMAN_HANDOFF.value,
        "skill": Skill.HANDOFF.value,
        "outcome": Outcome.HANDED_OFF.value,
        "author": {"name": author_name},
    }


def add_team_message(
    session: Session,
    *,
    brand: models.Brand,
    conv: models.Conversation,
    author_name: str,
    text: str,
    now: datetime,
    sender: ChannelSender | None,
) -> models.Message:
    """Append the team's message and, off the web, enqueue it on the conversation's channel.

    Raises EmptyTeamMessage for blank or overlong text (nothing is stored then)."""
    text = text.replace("\x00", "").strip()
    if not text or len(text) > MAX_TEAM_MESSAGE_CHARS:
        raise EmptyTeamMessage(text[:40])
    count = session.scalar(
        select(func.count())
        .select_from(models.Message)
        .where(models.Message.conversation_id == conv.id)
    )
    row = models.Message(
        id=str(uuid.uuid4()),
        brand_id=conv.brand_id,
        conversation_id=conv.id,
        seq=int(count or 0) + 1,
        role=MessageRole.TEAM.value,
        channel=conv.channel,
        language=conv.language,
        text=None,
        action=None,
        blocks=[{"type": "text", "text": text}],
        meta=team_meta(author_name.strip() or "Team"),
        created_at=now,
    )
    session.add(row)
    conv.updated_at = now
    session.flush()
    if conv.channel not in WEB_CHANNELS and sender is not None:
        sender(session, brand=brand, conv=conv, blocks=row.blocks, key=f"team:{row.id}", now=now)
    return row


def team_message(row: models.Message) -> AgentMessage:
    blocks: list[Block] = row.blocks
    return AgentMessage(
        id=row.id,
        created_at=row.created_at,
        language=row.language,
        blocks=blocks,
        meta=Meta(**row.meta),
    )


def team_frame(row: models.Message, conv: models.Conversation) -> Frame:
    """The web chat's "messages" frame for it, pushed (docs/api-contract.md)."""
    turn = TurnResponse(messages=[team_message(row)], conversation=conversation_state(conv))
    return {"type": "messages", **turn.model_dump(mode="json"), "pushed": True}


def publish_team_message(bus: Bus, frame: Frame, conversation_id: str) -> None:
    """Push it after the commit (the transcript is the record; the bus only carries news)."""
    bus.publish(conversation_id, frame)
