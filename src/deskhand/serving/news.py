"""News outside a turn reaches the conversation's open sockets: what a unit of work posted
into a conversation (the Customer Hub's confirmation of an order change or cancellation) is
published on the bus once that work commits, on this process or, through Redis, another.

A turn publishes its own replies (`serving/turns.py`); this is for the rest. `Posted`
watches one session for the agent messages it stores; `frames` are the WebSocket's
"messages" frames for them, built before the commit (while the session is open) and
published after it (a socket must never show what was rolled back).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.vocabulary import MessageRole
from deskhand.serving.bus import Bus, Frame
from deskhand.serving.turns import agent_message, conversation_state


class Posted:
    """The agent messages stored through `session` from now on (until it closes)."""

    def __init__(self, session: Session) -> None:
        self.messages: list[models.Message] = []
        event.listen(session, "pending_to_persistent", self._stored)
        event.listen(session, "persistent_to_transient", self._undone)  # a savepoint rolled back

    def _stored(self, _session: Session, instance: Any) -> None:
        if isinstance(instance, models.Message) and instance.role == MessageRole.AGENT:
            self.messages.append(instance)

    def _undone(self, _session: Session, instance: Any) -> None:
        if instance in self.messages:
            self.messages.remove(instance)

    def frames(self, session: Session) -> list[tuple[str, Frame]]:
        """(conversation id, frame) per conversation that got news, in the order posted."""
        session.flush()
        by_conversation: dict[str, list[models.Message]] = {}
        for message in self.messages:
            by_conversation.setdefault(message.conversation_id, []).append(message)
        frames = []
        for conversation_id, messages in by_conversation.items():
            conv = session.get(models.Conversation, conversation_id)
            if conv is None:
                continue
            frame = {
                "type": "messages",
                "messages": [agent_message(m).model_dump(mode="json") for m in messages],
                "conversation": conversation_state(conv).model_dump(mode="json"),
                "pushed": True,
                "origin": None,  # no socket asked: every socket on the conversation shows it
            }
            frames.append((conversation_id, frame))
        return frames


def publish(bus: Bus, frames: list[tuple[str, Frame]]) -> None:
    for conversation_id, frame in frames:
        bus.publish(conversation_id, frame)
