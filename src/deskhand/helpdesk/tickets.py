"""Tickets: a conversation handed to the team (opened once), reopened, handed back.

- The built-in inbox gets its ticket at once (delivered), assigned round robin to an
  available member (or left unassigned when nobody is).
- Zendesk and Gorgias get theirs through the outbox: the ticket is written `queued` with an
  outbox row of kind `helpdesk_ticket` in the same transaction; the worker creates it at the
  helpdesk exactly once (helpdesk/delivery.py).
- Opening is idempotent: while the conversation's ticket is with the team, asking again
  returns that ticket; the unique (brand, idempotency key) stops a double click racing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from deskhand.analytics.events import record
from deskhand.db import models
from deskhand.domain.vocabulary import HandoffDestination, TicketDelivery, TicketStatus
from deskhand.helpdesk.availability import is_available, next_member
from deskhand.helpdesk.ownership import active_ticket
from deskhand.jobs.outbox import enqueue

OUTBOX_KIND = "helpdesk_ticket"


@dataclass(frozen=True)
class Packet:
    """What a handoff carries to the people who take it over."""

    transcript: list[dict[str, Any]]  # [{"at", "role", "channel", "text"}], oldest first
    email: str
    customer_id: int | None
    channel: str
    language: str
    intent: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "email": self.email,
            "customer_id": self.customer_id,
            "channel": self.channel,
            "language": self.language,
            "intent": self.intent,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Opened:
    ticket: models.HelpdeskTicket
    created: bool  # False: the conversation's ticket already existed (a second "yes")


def open_ticket(
    session: Session,
    conv: models.Conversation,
    destination: HandoffDestination,
    packet: Packet,
    now: datetime,
) -> Opened:
    """Hand the conversation to the team (once); call inside the turn's transaction."""
    if destination == HandoffDestination.NONE:
        raise ValueError("this brand does not hand off")
    existing = active_ticket(session, conv.id)
    if existing is not None:
        return Opened(existing, created=False)
    rounds = session.scalar(
        select(func.count())
        .select_from(models.HelpdeskTicket)
        .where(models.HelpdeskTicket.conversation_id == conv.id)
    )
    builtin = destination == HandoffDestination.BUILTIN
    try:
        with session.begin_nested():  # a second "yes" racing this one finds its ticket
            assignee = next_member(session, conv.brand_id, now) if builtin else None
            ticket = _new_ticket(conv, destination, packet, int(rounds or 0), assignee, now)
            session.add(ticket)
            session.flush()
    except IntegrityError:
        raced = active_ticket(session, conv.id)
        if raced is None:
            raise
        return Opened(raced, created=False)
    if not builtin:
        row = enqueue(
            session,
            brand_id=conv.brand_id,
            kind=OUTBOX_KIND,
            recipient=destination.value,
            subject="",
            body="",
            idempotency_key=f"helpdesk:{ticket.idempotency_key}",
            now=now,
        )
        session.flush()
        row.payload = {"ticket_id": ticket.id}
        row.conversation_id = ticket.conversation_id
    conv.status = "handed_off"
    record(
        session,
        conv.brand_id,
        conv.id,
        "handoff.ticket",
        {
            "destination": destination.value,
            "channel": packet.channel,
            "intent": packet.intent,
            "assigned": assignee is not None,
        },
        now,
    )
    session.flush()
    return Opened(ticket, created=True)


def _new_ticket(
    conv: models.Conversation,
    destination: HandoffDestination,
    packet: Packet,
    rounds: int,
    assignee: models.TeamMember | None,
    now: datetime,
) -> models.HelpdeskTicket:
    builtin = destination == HandoffDestination.BUILTIN
    return models.HelpdeskTicket(
        brand_id=conv.brand_id,
        conversation_id=conv.id,
        destination=destination.value,
        status=TicketStatus.OPEN.value,
        delivery=(TicketDelivery.DELIVERED if builtin else TicketDelivery.QUEUED).value,
        idempotency_key=f"{conv.id}:{rounds + 1}",
        external_id=None,
        assignee_id=assignee.id if assignee else None,
        shopper_email=packet.email,
        customer_id=packet.customer_id,
        channel=packet.channel,
        language=packet.language,
        intent=packet.intent,
        reason=packet.reason,
        packet=packet.to_json(),
        last_error="",
        created_at=now,
        updated_at=now,
        solved_at=None,
        handed_back_at=None,
    )


def reopen(session: Session, ticket: models.HelpdeskTicket, now: datetime) -> bool:
    """A shopper wrote into a solved ticket: open again, to the same member when available,
    else the next one round robin (or unassigned). True when it was solved."""
    if ticket.status != TicketStatus.SOLVED.value:
        return False
    ticket.status = TicketStatus.OPEN.value
    ticket.solved_at = None
    ticket.updated_at = now
    if ticket.destination == HandoffDestination.BUILTIN.value:
        member = session.get(models.TeamMember, ticket.assignee_id) if ticket.assignee_id else None
        if not is_available(member) or (member is not None and member.brand_id != ticket.brand_id):
            member = next_member(session, ticket.brand_id, now)
        ticket.assignee_id = member.id if member else None
    record(session, ticket.brand_id, ticket.conversation_id, "handoff.reopened", {}, now)
    session.flush()
    return True


def hand_back(
    session: Session,
    ticket: models.HelpdeskTicket,
    member: models.TeamMember | None,
    now: datetime,
) -> None:
    """The team gives the conversation back to the agent: it answers again from the next
    shopper message, with the conversation's context. `member` is who pressed the button
    (None: the system); a member of another brand is refused with PermissionError."""
    if member is not None and member.brand_id != ticket.brand_id:
        raise PermissionError("this ticket belongs to another brand")
    if ticket.handed_back_at is not None:
        return
    ticket.handed_back_at = now
    ticket.status = TicketStatus.SOLVED.value
    ticket.solved_at = ticket.solved_at or now
    ticket.updated_at = now
    conv = session.get(models.Conversation, ticket.conversation_id)
    if conv is not None and conv.brand_id == ticket.brand_id:
        conv.status = "open"
        conv.updated_at = now
    record(
        session,
        ticket.brand_id,
        ticket.conversation_id,
        "handoff.handed_back",
        {"member_id": member.id if member else None},
        now,
    )
    session.flush()


def ticket_of_brand(
    session: Session, brand_id: int, ticket_id: int
) -> models.HelpdeskTicket | None:
    """The ticket when it belongs to this brand; another brand's ticket is not found."""
    ticket = session.get(models.HelpdeskTicket, ticket_id)
    if ticket is None or ticket.brand_id != brand_id:
        return None
    return ticket
