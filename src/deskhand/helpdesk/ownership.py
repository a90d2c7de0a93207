"""Who answers a conversation: the agent, or the people it was handed to.

The rule every part of Deskhand follows (the agent, the inbox, the Zendesk relay): the agent is
silent in a conversation whose newest ticket has not been handed back and went to the built-in
inbox or Zendesk, where a person answers in the same conversation. A Gorgias ticket moves the
conversation to email, so the agent still answers on the web chat, but never offers a second
handoff while the ticket stands (`active_ticket`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.vocabulary import HandoffDestination

# Destinations where a person answers inside the conversation itself.
ANSWERED_IN_CONVERSATION = frozenset({HandoffDestination.BUILTIN, HandoffDestination.ZENDESK})


def newest_ticket(session: Session, conversation_id: str) -> models.HelpdeskTicket | None:
    return session.scalar(
        select(models.HelpdeskTicket)
        .where(models.HelpdeskTicket.conversation_id == conversation_id)
        .order_by(models.HelpdeskTicket.id.desc())
        .limit(1)
    )


def active_ticket(session: Session, conversation_id: str) -> models.HelpdeskTicket | None:
    """The conversation's ticket still in the team's hands (not handed back), if any."""
    ticket = newest_ticket(session, conversation_id)
    if ticket is None or ticket.handed_back_at is not None:
        return None
    return ticket


def human_has(session: Session, conversation_id: str) -> models.HelpdeskTicket | None:
    """The ticket whose people answer this conversation now, or None: the agent answers."""
    ticket = active_ticket(session, conversation_id)
    if ticket is None or ticket.destination not in ANSWERED_IN_CONVERSATION:
        return None
    return ticket
